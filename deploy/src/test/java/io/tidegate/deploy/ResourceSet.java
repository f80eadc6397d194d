package io.tidegate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Kubernetes resources parsed strictly from one file or one rendered overlay. */
final class ResourceSet {

    /** A pod template and where it comes from. */
    record Pod(String owner, ObjectMeta metadata, PodSpec spec, List<PersistentVolumeClaim> claimTemplates) {

        Map<String, String> labels() {
            return metadata == null || metadata.getLabels() == null ? Map.of() : metadata.getLabels();
        }

        /** Init containers (native sidecars among them) and containers. */
        List<Container> allContainers() {
            return Stream.concat(spec.getInitContainers().stream(), spec.getContainers().stream()).toList();
        }
    }

    private final String origin;
    private final List<Object> resources;

    private ResourceSet(String origin, List<Object> resources) {
        this.origin = origin;
        this.resources = resources;
    }

    /** Parses every document; the first that does not bind strictly fails with its origin and position. */
    static ResourceSet parse(String origin, String yaml) {
        List<Object> resources = new ArrayList<>();
        List<JsonNode> documents = StrictKubernetes.documents(yaml);
        for (int i = 0; i < documents.size(); i++) {
            JsonNode document = documents.get(i);
            try {
                resources.add(StrictKubernetes.parse(document));
            } catch (IllegalArgumentException e) {
                throw new AssertionError(origin + ", document " + (i + 1) + " (" + document.path("kind").asText("?") + " "
                        + document.path("metadata").path("name").asText("?") + "): " + e.getMessage(), e);
            }
        }
        return new ResourceSet(origin, resources);
    }

    String origin() {
        return origin;
    }

    List<Object> all() {
        return resources;
    }

    <T> List<T> all(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    Optional<ConfigMap> configMap(String name) {
        return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
    }

    Optional<Secret> secret(String name) {
        return all(Secret.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
    }

    /** Name of a resource, for messages: "StatefulSet tidegate". */
    static String describe(Object resource) {
        if (resource instanceof HasMetadata h) {
            return h.getKind() + " " + h.getMetadata().getName();
        }
        if (resource instanceof ServiceMonitor m) {
            return "ServiceMonitor " + m.metadata().getName();
        }
        return resource.getClass().getSimpleName();
    }

    /** The pod templates of the workloads (StatefulSets, Deployments, Jobs). */
    List<Pod> pods() {
        List<Pod> pods = new ArrayList<>();
        for (StatefulSet s : all(StatefulSet.class)) {
            pods.add(new Pod(describe(s), s.getSpec().getTemplate().getMetadata(), s.getSpec().getTemplate().getSpec(),
                    s.getSpec().getVolumeClaimTemplates()));
        }
        for (Deployment d : all(Deployment.class)) {
            pods.add(new Pod(describe(d), d.getSpec().getTemplate().getMetadata(), d.getSpec().getTemplate().getSpec(),
                    List.of()));
        }
        for (Job j : all(Job.class)) {
            pods.add(new Pod(describe(j), j.getSpec().getTemplate().getMetadata(), j.getSpec().getTemplate().getSpec(),
                    List.of()));
        }
        return pods;
    }

    /** A container that runs the gateway: the Tidegate image with {@code run}. */
    static boolean isGateway(Container container) {
        return isTidegateImage(container.getImage()) && container.getCommand().isEmpty()
                && !container.getArgs().isEmpty() && container.getArgs().get(0).equals("run");
    }

    /** A container that runs the load generator from the Tidegate image. */
    static boolean isLoadgen(Container container) {
        return isTidegateImage(container.getImage()) && !container.getCommand().isEmpty()
                && container.getCommand().get(0).endsWith("/tidegate-loadgen");
    }

    static boolean isTidegateImage(String image) {
        return repository(image).equals("tidegate") || repository(image).endsWith("/tidegate");
    }

    /** The image reference without tag or digest (a registry's port stays). */
    static String repository(String image) {
        String name = image == null ? "" : image.replaceFirst("@.*$", "");
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(0, colon) : name;
    }
}
