package io.ocppgw.launcher;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.ocppgw.topics.records.JsonSerde;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ocppgw query}: one GET on a streams app's query API, the JSON answer pretty-printed. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description =
                "Query route-streams (port 9081) or reconciliation-streams (9082), e.g. /api/v1/routes/CP-1 or /api/v1/transactions?state=open.")
final class QueryCommand implements Callable<Integer> {

    @Option(
            names = "--url",
            defaultValue = "http://127.0.0.1:9081",
            description = "The app's admin address. Default: ${DEFAULT-VALUE}.")
    String url;

    @Parameters(index = "0", paramLabel = "PATH", description = "The query path, starting with /api/v1/.")
    String path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (!path.startsWith("/")) {
            throw new ParameterException(
                    spec.commandLine(), "PATH '" + path + "': must start with /, e.g. /api/v1/routes/CP-1");
        }
        URI target;
        try {
            target = URI.create(url.replaceAll("/+$", "") + path);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--url '" + url + "' with PATH '" + path + "': not a valid URI (" + e.getMessage() + ")");
        }
        HttpResponse<String> answer;
        try {
            answer = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()
                    .send(
                            HttpRequest.newBuilder(target)
                                    .timeout(Duration.ofSeconds(30))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            spec.commandLine().getErr().println("ocppgw query: " + target + " did not answer: " + e);
            return Ocppgw.EXIT_RUNTIME;
        }
        PrintWriter out = answer.statusCode() / 100 == 2
                ? spec.commandLine().getOut()
                : spec.commandLine().getErr();
        out.println(pretty(answer.body()));
        if (answer.statusCode() / 100 != 2) {
            out.println("(HTTP " + answer.statusCode()
                    + answer.headers()
                            .firstValue("Retry-After")
                            .map(s -> ", retry after " + s + " s")
                            .orElse("") + ")");
        }
        out.flush();
        return answer.statusCode() / 100 == 2 ? 0 : Ocppgw.EXIT_RUNTIME;
    }

    private static String pretty(String body) {
        try {
            return JsonSerde.MAPPER
                    .copy()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(JsonSerde.MAPPER.readTree(body));
        } catch (IOException notJson) {
            return body;
        }
    }
}
