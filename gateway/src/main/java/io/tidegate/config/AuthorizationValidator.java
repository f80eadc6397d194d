package io.tidegate.config;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Policy references resolve, and every policy filter is a valid MQTT topic filter. */
final class AuthorizationValidator {

    private AuthorizationValidator() {
    }

    static void check(ConfigPath path, AuthorizationConfig authorization, ProblemCollector problems) {
        Map<String, TopicPolicyConfig> policies = new TreeMap<>(authorization.policies());
        String expected = policies.isEmpty()
                ? "the name of a policy, but authorization.policies is empty"
                : "the name of a policy in authorization.policies (" + String.join(", ", policies.keySet()) + ")";
        checkReference(path.child("defaultPolicy"), authorization.defaultPolicy(), policies, expected, problems);
        checkReference(path.child("anonymousPolicy"), authorization.anonymousPolicy(), policies, expected, problems);
        new TreeMap<>(authorization.identities()).forEach((identity, policy) ->
                checkReference(path.child("identities").child(identity), policy, policies, expected, problems));
        policies.forEach((name, policy) -> {
            ConfigPath policyPath = path.child("policies").child(name);
            checkFilters(policyPath.child("publish"), policy.publish(), problems);
            checkFilters(policyPath.child("subscribe"), policy.subscribe(), problems);
            checkFilters(policyPath.child("denyPublish"), policy.denyPublish(), problems);
            checkFilters(policyPath.child("denySubscribe"), policy.denySubscribe(), problems);
        });
    }

    private static void checkReference(ConfigPath path, String policy, Map<String, TopicPolicyConfig> policies,
                                       String expected, ProblemCollector problems) {
        if (problems.present(path, policy, expected) && !policies.containsKey(policy)) {
            problems.notAllowed(path, policy, expected);
        }
    }

    private static void checkFilters(ConfigPath path, List<String> filters, ProblemCollector problems) {
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            ConfigPath filterPath = path.index(i);
            TopicFilterSyntax.problem(filter).ifPresent(reason ->
                    problems.add(filterPath, ConfigValues.render(filter) + " is not allowed; " + reason));
        }
    }
}
