package fr.biodiversitheque.searchnode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.node.MockNode;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch on 127.0.0.1 for development and tests.
 *
 * Arguments: the home folder (data and logs go under it) and the HTTP port. MockNode is used because it
 * takes its plugins from the classpath (a plain Node reads them from a plugins/ folder of a distribution).
 */
public final class SearchNode {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : "var/opensearch").toAbsolutePath();
        String port = args.length > 1 ? args[1] : "9200";
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Settings settings = Settings.builder()
            .put("cluster.name", "biodiversitheque")
            .put("node.name", "biodiversitheque-1")
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", port)
            .put("transport.port", "9300-9399")
            .put("discovery.type", "single-node")
            .put("transport.type", "netty4")
            .put("http.type", "netty4")
            // A developer's disk is often more than 90 % full: do not turn indexes read-only for that.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .build();
        Node node = new MockNode(settings, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
                node.awaitClose(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        node.start();
        System.out.println("OpenSearch prêt sur http://127.0.0.1:" + port);
        Thread.currentThread().join();
    }
}
