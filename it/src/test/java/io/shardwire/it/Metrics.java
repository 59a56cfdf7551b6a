package io.shardwire.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy's Prometheus {@code GET /metrics} (on its HTTP port), read once: the text, and the value of one sample
 * found by metric name and labels.
 */
final class Metrics {

    /** A sample line, {@code name{label="value",...} value}; the comment lines do not match. */
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One sample of a metric: its labels and value. */
    record Sample(Map<String, String> labels, double value) {
    }

    private final String text;

    private Metrics(String text) {
        this.text = text;
    }

    /** The proxy's answer to {@code GET /metrics}, as it came: for a test of the endpoint itself. */
    static HttpResponse<String> scrape(int httpPort) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The proxy's metrics now; fails unless it answered 200. */
    static Metrics read(int httpPort) throws IOException, InterruptedException {
        HttpResponse<String> response = scrape(httpPort);
        assertThat(response.statusCode()).as("GET /metrics: %s", response.body()).isEqualTo(200);
        return new Metrics(response.body());
    }

    /** The text, in the Prometheus format. */
    String text() {
        return text;
    }

    /**
     * The value of the one sample of the metric whose labels include these; fails when none or several have.
     *
     * @param labels label names and values in turn, e.g. {@code "group", "g0"}; none to take the metric's only sample
     */
    double value(String name, String... labels) {
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs: " + List.of(labels));
        }
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        List<Sample> matching = samples(name).stream()
                .filter(sample -> sample.labels().entrySet().containsAll(wanted.entrySet())).toList();
        assertThat(matching).as("samples of %s with labels %s in /metrics:%n%s", name, wanted, text).hasSize(1);
        return matching.getFirst().value();
    }

    /** Every sample of the metric, in the order of the text. */
    List<Sample> samples(String name) {
        return text.lines().map(SAMPLE::matcher).filter(line -> line.matches() && line.group(1).equals(name))
                .map(line -> new Sample(labels(line.group(2)), Double.parseDouble(line.group(3)))).toList();
    }

    private static Map<String, String> labels(String list) {
        Map<String, String> labels = new HashMap<>();
        if (list != null) {
            Matcher label = LABEL.matcher(list);
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
        }
        return labels;
    }
}
