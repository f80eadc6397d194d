package io.tidegate.rules.sql;

/** The data types of AWS IoT SQL (2016-03-23), which every value belongs to. */
enum Kind {
    UNDEFINED, NULL, BOOLEAN, INT, DECIMAL, STRING, ARRAY, OBJECT
}
