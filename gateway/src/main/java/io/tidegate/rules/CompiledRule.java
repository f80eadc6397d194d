package io.tidegate.rules;

import io.tidegate.rules.sql.SqlStatement;

/** An enabled rule ready to run: its statement, actions, optional error action and match counter. */
record CompiledRule(String name, SqlStatement statement, CompiledAction[] actions, CompiledAction errorAction,
                    SingleWriterCounter matched) {
}
