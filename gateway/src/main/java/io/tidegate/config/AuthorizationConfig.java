package io.tidegate.config;

import java.util.Map;

/**
 * Who may publish and subscribe where. A connected client's identity (certificate CN or SAN) picks
 * its policy from {@code identities}, falling back to {@code defaultPolicy}; clients without an
 * identity get {@code anonymousPolicy}. Filters may use {@code ${clientid}} and {@code ${cn}}.
 *
 * @param defaultPolicy              policy for identified clients not listed in {@code identities}
 * @param anonymousPolicy            policy for clients without an identity
 * @param clientIdMustMatchIdentity  refuse a client whose client id differs from its certificate identity
 * @param identities                 identity → policy name
 * @param policies                   policy name → topic filters
 */
public record AuthorizationConfig(String defaultPolicy, String anonymousPolicy, Boolean clientIdMustMatchIdentity,
                                  Map<String, String> identities, Map<String, TopicPolicyConfig> policies) {

    public AuthorizationConfig {
        identities = identities == null ? Map.of() : Map.copyOf(identities);
        policies = policies == null ? Map.of() : Map.copyOf(policies);
        clientIdMustMatchIdentity = clientIdMustMatchIdentity == null ? Boolean.FALSE : clientIdMustMatchIdentity;
    }
}
