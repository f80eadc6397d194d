package io.tidegate.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromQlTest {

    @Test
    void findsTheMetricsOfAHistogramQuantile() {
        PromQl.Query q = PromQl.parse("histogram_quantile(0.99, sum by (le, destination) "
                + "(rate(tidegate_forward_latency_seconds_bucket{job=~\"$job\", destination=~\"$destination\"}[$__rate_interval])))");
        assertThat(q.metrics()).containsExactly("tidegate_forward_latency_seconds_bucket");
        PromQl.Selector s = q.selectors().get(0);
        assertThat(s.matcherLabels()).containsExactly("job", "destination");
        assertThat(s.enclosing()).containsExactly("histogram_quantile", "sum", "rate");
        assertThat(q.groupingLabels()).containsExactly("le", "destination");
    }

    @Test
    void aggregationWithTrailingGroupingAndBinaryOperators() {
        PromQl.Query q = PromQl.parse("sum(rate(a_total[5m])) by (reason) / ignoring(reason) group_left "
                + "max without (instance) (b{x=\"a,b}c\"}) > bool 0.5 and on(job) c offset 5m");
        assertThat(q.metrics()).containsExactly("a_total", "b", "c");
        assertThat(q.groupingLabels()).containsExactlyInAnyOrder("reason", "instance", "job");
        assertThat(q.selectors().get(1).matcherLabels()).containsExactly("x");
        assertThat(q.selectors().get(1).enclosing()).containsExactly("max");
        assertThat(q.selectors().get(2).enclosing()).isEmpty();
    }

    @Test
    void labelValuesVariables() {
        PromQl.Query q = PromQl.parseLabelValues("label_values(tidegate_connections{job=~\"$job\"}, instance)");
        assertThat(q.metrics()).containsExactly("tidegate_connections");
        assertThat(q.groupingLabels()).containsExactly("instance");
        assertThat(q.selectors().get(0).matcherLabels()).isEqualTo(java.util.Set.of("job"));
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> PromQl.parse("sum(rate(x[5m])")).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> PromQl.parse("{__name__=~\"tidegate_.*\"}")).hasMessageContaining("without a metric name");
        assertThat(PromQl.parse("1 + 2").selectors()).isEqualTo(List.of());
    }
}
