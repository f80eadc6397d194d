package io.tidegate.config;

import java.util.List;

/**
 * One rule: which messages (the SQL's FROM topic filter and WHERE clause), what they become (its
 * SELECT) and where the result goes (its actions). Every enabled rule sees every message once.
 *
 * @param name        unique, non-blank; names the rule in metrics and error documents
 * @param sql         an AWS IoT SQL 2016-03-23 statement, e.g. {@code SELECT * FROM 'dt/#' WHERE temperature > 50}
 * @param actions     one or more destinations that receive the result
 * @param errorAction optional destination for an AWS-style error document when an action cannot be produced
 * @param enabled     a disabled rule is validated but sees no messages
 */
public record RuleConfig(String name, String sql, List<ActionConfig> actions, ActionConfig errorAction, Boolean enabled) {

    public RuleConfig {
        actions = actions == null ? List.of() : List.copyOf(actions);
        enabled = enabled == null ? Boolean.TRUE : enabled;
    }

    public boolean isEnabled() {
        return enabled;
    }
}
