package io.tidegate.admin;

import java.util.List;
import java.util.Map;

/** What the admin endpoint reports; implemented by the gateway that wires everything. */
public interface StatusSource {

    /** Reasons the gateway is not ready to take traffic; empty when ready. */
    List<String> notReadyReasons();

    /** A JSON-serializable snapshot for {@code /api/status}. */
    Map<String, Object> status();
}
