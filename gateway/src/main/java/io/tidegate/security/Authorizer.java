package io.tidegate.security;

import io.tidegate.config.AuthorizationConfig;
import io.tidegate.config.TopicPolicyConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides which topic policy a client gets and whether its client id is acceptable for its
 * identity. Policies are resolved once per connection (at CONNECT); the per-message checks then
 * only match filters.
 */
public final class Authorizer {

    private static final String CLIENT_ID_VARIABLE = "${clientid}";
    private static final String CN_VARIABLE = "${cn}";

    private final AuthorizationConfig config;

    public Authorizer(AuthorizationConfig config) {
        this.config = config;
    }

    /** Whether the client id may be used by this identity (when the config binds them). */
    public boolean clientIdAllowed(String clientId, Identity identity) {
        return identity.isAnonymous() || !config.clientIdMustMatchIdentity() || identity.name().equals(clientId);
    }

    /** Whether a client with this identity and no client id should get its identity as client id. */
    public boolean assignsIdentityAsClientId(Identity identity) {
        return !identity.isAnonymous() && config.clientIdMustMatchIdentity();
    }

    /** The policy of a client, with {@code ${clientid}} and {@code ${cn}} substituted. */
    public TopicPolicy policyFor(Identity identity, String clientId) {
        String policyName = identity.isAnonymous()
                ? config.anonymousPolicy()
                : config.identities().getOrDefault(identity.name(), config.defaultPolicy());
        TopicPolicyConfig policy = Objects.requireNonNull(config.policies().get(policyName),
                () -> "policy " + policyName + " is not configured");
        return new TopicPolicy(policyName,
                substitute(policy.publish(), clientId, identity.name(), false),
                substitute(policy.subscribe(), clientId, identity.name(), false),
                substitute(policy.denyPublish(), clientId, identity.name(), true),
                substitute(policy.denySubscribe(), clientId, identity.name(), true));
    }

    /**
     * Substitutes the variables. A filter whose variable has no safe value denies: an allow filter is
     * dropped, a deny filter becomes {@code #} (fails closed). A value containing {@code +},
     * {@code #} or {@code /} would widen the filter beyond the one level the policy author meant,
     * and an absent one would match nothing meaningful.
     */
    private static List<String> substitute(List<String> filters, String clientId, String cn, boolean deny) {
        List<String> resolved = new ArrayList<>(filters.size());
        for (String filter : filters) {
            String value = filter;
            if (value.contains(CLIENT_ID_VARIABLE)) {
                if (!isSafeLevel(clientId)) {
                    if (deny) {
                        resolved.add("#");
                    }
                    continue;
                }
                value = value.replace(CLIENT_ID_VARIABLE, clientId);
            }
            if (value.contains(CN_VARIABLE)) {
                if (!isSafeLevel(cn)) {
                    if (deny) {
                        resolved.add("#");
                    }
                    continue;
                }
                value = value.replace(CN_VARIABLE, cn);
            }
            resolved.add(value);
        }
        return resolved;
    }

    private static boolean isSafeLevel(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+' || c == '#' || c == '/' || c == '\0') {
                return false;
            }
        }
        return true;
    }
}
