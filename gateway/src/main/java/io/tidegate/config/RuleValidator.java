package io.tidegate.config;

import io.tidegate.rules.sql.ParseException;
import io.tidegate.rules.sql.SqlStatement;
import io.tidegate.rules.sql.Template;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rules are usable: unique non-blank names, SQL that parses, at least one action, actions that
 * name configured destinations, and setting templates that parse. Disabled rules are checked too,
 * so enabling one later cannot fail. Parse errors keep the parser's line and column.
 */
final class RuleValidator {

    private RuleValidator() {
    }

    static void check(ConfigPath path, List<RuleConfig> rules, Map<String, DestinationConfig> destinations,
                      ProblemCollector problems) {
        Map<String, Integer> firstIndexByName = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            ConfigPath rulePath = path.index(i);
            RuleConfig rule = rules.get(i);
            checkName(rulePath.child("name"), rule.name(), i, firstIndexByName, path, problems);
            checkSql(rulePath.child("sql"), rule.sql(), problems);
            if (rule.actions().isEmpty()) {
                problems.add(rulePath.child("actions"), "missing; expected at least one action with a destination");
            }
            for (int a = 0; a < rule.actions().size(); a++) {
                checkAction(rulePath.child("actions").index(a), rule.actions().get(a), destinations, problems);
            }
            if (rule.errorAction() != null) {
                checkAction(rulePath.child("errorAction"), rule.errorAction(), destinations, problems);
            }
        }
    }

    private static void checkName(ConfigPath path, String name, int index, Map<String, Integer> firstIndexByName,
                                  ConfigPath rulesPath, ProblemCollector problems) {
        String expected = "a unique, non-blank rule name";
        if (!problems.present(path, name, expected)) {
            return;
        }
        if (name.isBlank()) {
            problems.notAllowed(path, name, expected);
            return;
        }
        Integer first = firstIndexByName.putIfAbsent(name, index);
        if (first != null) {
            problems.add(path, ConfigValues.render(name) + " is not allowed; expected a unique rule name, but "
                    + rulesPath.index(first) + " has it too");
        }
    }

    private static void checkSql(ConfigPath path, String sql, ProblemCollector problems) {
        if (!problems.present(path, sql, "an AWS IoT SQL statement such as SELECT * FROM 'dt/#'")) {
            return;
        }
        try {
            SqlStatement.parse(sql);
        } catch (ParseException e) {
            problems.add(path, e.getMessage());
        }
    }

    private static void checkAction(ConfigPath path, ActionConfig action, Map<String, DestinationConfig> destinations,
                                    ProblemCollector problems) {
        ConfigPath destinationPath = path.child("destination");
        String expected = destinations.isEmpty()
                ? "the name of a destination, but no destinations are configured"
                : "the name of a configured destination (" + String.join(", ", new TreeMap<>(destinations).keySet()) + ")";
        if (problems.present(destinationPath, action.destination(), expected)
                && !destinations.containsKey(action.destination())) {
            problems.notAllowed(destinationPath, action.destination(), expected);
        }
        action.settings().forEach((name, template) -> {
            try {
                Template.parse(template);
            } catch (ParseException e) {
                problems.add(path.child("settings").child(name), ConfigValues.render(template) + " is not a valid template: "
                        + e.getMessage());
            }
        });
    }
}
