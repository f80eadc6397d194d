package io.tidegate.deploy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;

import java.util.List;
import java.util.Map;

/**
 * The Prometheus Operator's ServiceMonitor ({@code monitoring.coreos.com/v1}), as far as these files use
 * it plus its common fields; bound strictly, so a misspelt field fails like in the fabric8 model.
 */
record ServiceMonitor(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    record Spec(LabelSelector selector, NamespaceSelector namespaceSelector, List<Endpoint> endpoints,
                String jobLabel, List<String> targetLabels, List<String> podTargetLabels, Long sampleLimit) {
    }

    record NamespaceSelector(Boolean any, List<String> matchNames) {
    }

    record Endpoint(String port, IntOrString targetPort, String path, String scheme, String interval,
                    String scrapeTimeout, Boolean honorLabels, Boolean honorTimestamps,
                    Map<String, List<String>> params, List<Map<String, Object>> relabelings,
                    List<Map<String, Object>> metricRelabelings) {
    }
}
