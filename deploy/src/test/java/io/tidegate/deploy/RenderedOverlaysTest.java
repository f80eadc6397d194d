package io.tidegate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.tidegate.config.ListenerConfig;
import io.tidegate.config.TidegateConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each overlay rendered with {@code kubectl kustomize} (skipped without kubectl): every resource binds
 * strictly, the pieces are wired together (selectors, ports, volumes, ConfigMaps, Secrets, probes), the
 * pods follow the security rules, and the gateway accepts the configuration each pod would run with.
 */
class RenderedOverlaysTest {

    /** The gateway's stop: ring drain (≤ 10 s), event loops (≤ 5 s), forwarders (≤ 10 s). */
    private static final int GATEWAY_STOP_SECONDS = 25;

    @TempDir
    Path scratch;

    private static ResourceSet render(String dir) {
        return ResourceSet.parse("kubectl kustomize deploy/k8s/" + dir, Kubectl.kustomize(RepoFiles.K8S.resolve(dir)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/gateway", "overlays/sidecar", "overlays/loadtest"})
    void rendersAndIsWiredTogether(String dir) throws IOException {
        ResourceSet set = render(dir);
        assertThat(set.all()).isNotEmpty();
        checkWiring(set, !dir.equals("base"));
        for (ResourceSet.Pod pod : set.pods()) {
            for (Container c : pod.allContainers()) {
                if (ResourceSet.isGateway(c)) {
                    gatewayConfig(set, pod, c, Files.createTempDirectory(scratch, "config"));
                }
            }
        }
    }

    @Test
    void gatewayOverlay() {
        ResourceSet set = render("overlays/gateway");
        StatefulSet sts = single(set.all(StatefulSet.class));
        ResourceSet.Pod pod = podOf(set, sts.getMetadata().getName());
        Container gateway = gatewayContainer(pod);
        TidegateConfig config = gatewayConfig(set, pod, gateway, scratch);

        // The outbox is on a volume from the claim template, kept after a scale-down or deletion.
        VolumeMount data = mountAt(gateway, config.dataDir().toString());
        assertThat(sts.getSpec().getVolumeClaimTemplates()).extracting(t -> t.getMetadata().getName()).contains(data.getName());
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
        assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        assertThat(sts.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);

        // preStop lets the outbox catch up; the grace period covers it and the gateway's own stop.
        List<String> preStop = gateway.getLifecycle().getPreStop().getExec().getCommand();
        assertThat(preStop.get(0)).isEqualTo("/opt/tidegate/bin/tidegate-prestop");
        assertThat(RepoFiles.DEPLOY.resolve("docker/bin/tidegate-prestop")).isRegularFile();
        int settle = Integer.parseInt(option(preStop, "--settle-seconds"));
        int maxWait = Integer.parseInt(option(preStop, "--max-wait-seconds"));
        assertThat(pod.spec().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(settle + maxWait + GATEWAY_STOP_SECONDS);

        // Devices: mutual TLS with the Secret's certificates, never development certificates in production.
        ListenerConfig mqtts = config.listeners().get("mqtts");
        assertThat(mqtts.isEnabled()).isTrue();
        assertThat(mqtts.tls().usesDevelopmentCertificates()).isFalse();
        assertThat(config.listeners().get("mqtt").host()).as("plain MQTT stays inside the pod").isEqualTo("127.0.0.1");
        Secret tls = secretMountedAt(set, pod, gateway, Path.of(env(gateway).get("TIDEGATE_LISTENERS_MQTTS_TLS_CERTCHAIN")).getParent());
        assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(tls.getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt");
        assertThat(env(gateway)).containsEntry("TIDEGATE_LISTENERS_MQTTS_TLS_CERTCHAIN", "/etc/tidegate/tls/tls.crt")
                .containsEntry("TIDEGATE_LISTENERS_MQTTS_TLS_PRIVATEKEY", "/etc/tidegate/tls/tls.key")
                .containsEntry("TIDEGATE_LISTENERS_MQTTS_TLS_TRUSTEDCA", "/etc/tidegate/tls/ca.crt");

        // An NLB passes TCP through on 8883, health-checked on the admin port's /readyz.
        Service lb = single(set.all(Service.class).stream().filter(s -> "LoadBalancer".equals(s.getSpec().getType())).toList());
        ServicePort port = single(lb.getSpec().getPorts());
        assertThat(port.getPort()).isEqualTo(mqtts.port());
        assertThat(port.getTargetPort().getStrVal()).isEqualTo("mqtts");
        Map<String, String> annotations = lb.getMetadata().getAnnotations();
        String prefix = "service.beta.kubernetes.io/aws-load-balancer-";
        assertThat(annotations).containsEntry(prefix + "type", "external").containsEntry(prefix + "nlb-target-type", "ip")
                .containsEntry(prefix + "healthcheck-path", "/readyz")
                .containsEntry(prefix + "healthcheck-port", Integer.toString(config.admin().port()))
                .doesNotContainKey(prefix + "ssl-cert");
        assertThat(annotations.get(prefix + "target-group-attributes")).contains("deregistration_delay.timeout_seconds=");
        Matcher delay = Pattern.compile("deregistration_delay.timeout_seconds=(\\d+)").matcher(annotations.get(prefix + "target-group-attributes"));
        assertThat(delay.find()).isTrue();
        assertThat(Integer.parseInt(delay.group(1))).as("connections are closed before the pod is killed")
                .isLessThan(pod.spec().getTerminationGracePeriodSeconds().intValue());

        // Disruptions one pod at a time; IRSA; Prometheus Operator.
        assertThat(set.all(PodDisruptionBudget.class)).hasSize(1);
        ServiceAccount sa = single(set.all(ServiceAccount.class));
        assertThat(sa.getMetadata().getAnnotations()).containsKey("eks.amazonaws.com/role-arn");
        assertThat(sa.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn")).startsWith("arn:aws:iam::");
        assertThat(pod.spec().getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
        assertThat(set.all(ServiceMonitor.class)).hasSize(1);
    }

    @Test
    void sidecarOverlay() {
        ResourceSet set = render("overlays/sidecar");
        assertThat(set.all(StatefulSet.class)).as("the base's gateway is replaced by the sidecar").isEmpty();
        assertThat(set.all(Service.class)).isEmpty();
        Deployment app = single(set.all(Deployment.class));
        ResourceSet.Pod pod = podOf(set, app.getMetadata().getName());
        Container sidecar = single(pod.spec().getInitContainers().stream().filter(ResourceSet::isGateway).toList());
        assertThat(sidecar.getRestartPolicy()).as("a native sidecar").isEqualTo("Always");
        assertThat(sidecar.getStartupProbe()).as("the application starts once the sidecar answers").isNotNull();
        TidegateConfig config = gatewayConfig(set, pod, sidecar, scratch);
        ListenerConfig mqtt = config.listeners().get("mqtt");
        assertThat(mqtt.isEnabled()).isTrue();
        assertThat(mqtt.host()).isEqualTo("127.0.0.1");
        assertThat(mqtt.tls()).isNull();
        assertThat(config.listeners().get("mqtts").isEnabled()).isFalse();
        Container application = single(pod.spec().getContainers());
        assertThat(String.join(" ", application.getArgs())).contains("127.0.0.1").contains(Integer.toString(mqtt.port()));
        assertThat(pod.spec().getServiceAccountName()).isEqualTo(single(set.all(ServiceAccount.class)).getMetadata().getName());
        assertThat(pod.spec().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(GATEWAY_STOP_SECONDS);
    }

    @Test
    void loadtestOverlay() {
        ResourceSet set = render("overlays/loadtest");
        StatefulSet sts = single(set.all(StatefulSet.class));
        ResourceSet.Pod gatewayPod = podOf(set, sts.getMetadata().getName());
        TidegateConfig config = gatewayConfig(set, gatewayPod, gatewayContainer(gatewayPod), scratch);
        ListenerConfig mqtt = config.listeners().get("mqtt");
        assertThat(mqtt.host()).as("the load generator connects from another pod").isEqualTo("0.0.0.0");

        Job job = single(set.all(Job.class));
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        ResourceSet.Pod pod = podOf(set, job.getMetadata().getName());
        assertThat(pod.spec().getRestartPolicy()).isEqualTo("Never");
        Container loadgen = single(pod.spec().getContainers().stream().filter(ResourceSet::isLoadgen).toList());
        assertThat(RepoFiles.DEPLOY.resolve("docker/bin/tidegate-loadgen")).isRegularFile();
        URI broker = URI.create(option(loadgen.getArgs(), "--broker"));
        assertThat(broker.getScheme()).isEqualTo("mqtt");
        assertThat(broker.getPort()).isEqualTo(mqtt.port());
        Service target = set.all(Service.class).stream().filter(s -> s.getMetadata().getName().equals(broker.getHost()))
                .findFirst().orElseThrow(() -> new AssertionError("no Service " + broker.getHost()));
        assertThat(selects(target.getSpec().getSelector(), gatewayPod.labels())).isTrue();
        assertThat(target.getSpec().getPorts()).anyMatch(p -> p.getPort() == broker.getPort());
        long runSeconds = seconds(option(loadgen.getArgs(), "--duration"));
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isGreaterThan(runSeconds);
    }

    // ---- wiring ----

    private static void checkWiring(ResourceSet set, boolean deployable) {
        List<String> problems = new ArrayList<>();
        for (ResourceSet.Pod pod : set.pods()) {
            Set<String> volumes = new java.util.HashSet<>();
            for (Volume v : pod.spec().getVolumes()) {
                if (!volumes.add(v.getName())) {
                    problems.add(pod.owner() + ": volume " + v.getName() + " twice");
                }
                if (v.getConfigMap() != null && set.configMap(v.getConfigMap().getName()).isEmpty()) {
                    problems.add(pod.owner() + ": ConfigMap " + v.getConfigMap().getName() + " is not in the overlay");
                }
                if (v.getSecret() != null && set.secret(v.getSecret().getSecretName()).isEmpty()) {
                    problems.add(pod.owner() + ": Secret " + v.getSecret().getSecretName() + " is not in the overlay");
                }
            }
            pod.claimTemplates().forEach(t -> volumes.add(t.getMetadata().getName()));
            if (pod.spec().getServiceAccountName() != null && set.all(ServiceAccount.class).stream()
                    .noneMatch(sa -> sa.getMetadata().getName().equals(pod.spec().getServiceAccountName()))) {
                problems.add(pod.owner() + ": ServiceAccount " + pod.spec().getServiceAccountName() + " is not in the overlay");
            }
            if (!Boolean.FALSE.equals(pod.spec().getAutomountServiceAccountToken())) {
                problems.add(pod.owner() + ": mounts a Kubernetes API token it does not need");
            }
            var podSecurity = pod.spec().getSecurityContext();
            if (podSecurity == null || podSecurity.getSeccompProfile() == null
                    || !"RuntimeDefault".equals(podSecurity.getSeccompProfile().getType())) {
                problems.add(pod.owner() + ": no RuntimeDefault seccomp profile");
            }
            boolean podNonRoot = podSecurity != null && Boolean.TRUE.equals(podSecurity.getRunAsNonRoot());
            for (Container c : pod.allContainers()) {
                String where = pod.owner() + ", container " + c.getName() + ": ";
                if (deployable && (ResourceSet.repository(c.getImage()).equals(c.getImage()) || !c.getImage().contains("/")
                        && ResourceSet.isTidegateImage(c.getImage()))) {
                    problems.add(where + "image " + c.getImage() + " has no registry or tag");
                }
                var sc = c.getSecurityContext();
                if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())
                        || !Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())
                        || sc.getCapabilities() == null || !sc.getCapabilities().getDrop().contains("ALL")
                        || !(podNonRoot || Boolean.TRUE.equals(sc.getRunAsNonRoot()))) {
                    problems.add(where + "needs non-root, no privilege escalation, a read-only root file system, all capabilities dropped");
                }
                if (c.getResources() == null || c.getResources().getLimits() == null
                        || !c.getResources().getLimits().containsKey("memory")) {
                    problems.add(where + "no memory limit");
                }
                for (VolumeMount m : c.getVolumeMounts()) {
                    if (!volumes.contains(m.getName())) {
                        problems.add(where + "mounts " + m.getName() + ", which is no volume of the pod");
                    }
                }
                Set<String> portNames = new java.util.HashSet<>();
                c.getPorts().forEach(p -> portNames.add(p.getName()));
                for (Probe probe : new Probe[] {c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()}) {
                    if (probe != null && probe.getHttpGet() != null && probe.getHttpGet().getPort().getStrVal() != null
                            && !portNames.contains(probe.getHttpGet().getPort().getStrVal())) {
                        problems.add(where + "probe port " + probe.getHttpGet().getPort().getStrVal() + " is not a container port");
                    }
                }
                if (ResourceSet.isGateway(c) || ResourceSet.isLoadgen(c)) {
                    if (c.getVolumeMounts().stream().noneMatch(m -> m.getMountPath().equals("/tmp") && !Boolean.TRUE.equals(m.getReadOnly()))) {
                        problems.add(where + "the JVM needs a writable /tmp on a read-only root file system");
                    }
                }
                if (ResourceSet.isGateway(c)) {
                    if (!path(c.getLivenessProbe()).equals("/healthz") || !path(c.getReadinessProbe()).equals("/readyz")
                            || !path(c.getStartupProbe()).equals("/healthz")) {
                        problems.add(where + "needs startup and liveness probes on /healthz and readiness on /readyz");
                    }
                }
            }
        }
        for (Service service : set.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            List<ResourceSet.Pod> selected = set.pods().stream().filter(p -> selects(selector, p.labels())).toList();
            if (selector == null || selector.isEmpty() || selected.isEmpty()) {
                problems.add("Service " + service.getMetadata().getName() + " selects no pod");
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                String target = port.getTargetPort() == null ? null : port.getTargetPort().getStrVal();
                for (ResourceSet.Pod pod : selected) {
                    boolean found = pod.allContainers().stream().flatMap(c -> c.getPorts().stream())
                            .anyMatch(p -> target != null ? target.equals(p.getName())
                                    : Objects.equals(p.getContainerPort(), port.getTargetPort() == null ? port.getPort()
                                    : port.getTargetPort().getIntVal()));
                    if (!found) {
                        problems.add("Service " + service.getMetadata().getName() + " port " + port.getName()
                                + " targets no container port of " + pod.owner());
                    }
                }
            }
        }
        for (PodDisruptionBudget pdb : set.all(PodDisruptionBudget.class)) {
            if (set.pods().stream().noneMatch(p -> selects(pdb.getSpec().getSelector().getMatchLabels(), p.labels()))) {
                problems.add("PodDisruptionBudget " + pdb.getMetadata().getName() + " selects no pod");
            }
        }
        for (ServiceMonitor monitor : set.all(ServiceMonitor.class)) {
            for (ServiceMonitor.Endpoint endpoint : monitor.spec().endpoints()) {
                boolean found = set.all(Service.class).stream()
                        .filter(s -> selects(monitor.spec().selector().getMatchLabels(), s.getMetadata().getLabels()))
                        .anyMatch(s -> s.getSpec().getPorts().stream().anyMatch(p -> endpoint.port().equals(p.getName())));
                if (!found) {
                    problems.add("ServiceMonitor " + monitor.metadata().getName() + " endpoint " + endpoint.port()
                            + " matches no Service port");
                }
            }
        }
        assertThat(problems).as(set.origin()).isEmpty();
    }

    /**
     * The configuration a gateway container runs with, loaded by the gateway's validation: its --config file
     * from the mounted ConfigMap, its TIDEGATE_* variables, TLS files from its Secret mounts. Also checks that
     * what the pod exposes and probes matches the configuration.
     */
    private static TidegateConfig gatewayConfig(ResourceSet set, ResourceSet.Pod pod, Container c, Path scratch) {
        Path file = Path.of(option(c.getArgs(), "--config"));
        VolumeMount configMount = mountAt(c, file.getParent().toString());
        Volume configVolume = volume(pod, configMount.getName());
        assertThat(configVolume.getConfigMap()).as("%s: %s comes from a ConfigMap", pod.owner(), file).isNotNull();
        ConfigMap configMap = set.configMap(configVolume.getConfigMap().getName()).orElseThrow();
        String yaml = configMap.getData().get(file.getFileName().toString());
        assertThat(yaml).as("%s in ConfigMap %s", file.getFileName(), configMap.getMetadata().getName()).isNotNull();
        List<String> secretMounts = c.getVolumeMounts().stream()
                .filter(m -> volume(pod, m.getName()).getSecret() != null).map(VolumeMount::getMountPath).toList();
        TidegateConfig config = GatewayConfigs.load(yaml, env(c), secretMounts, scratch);

        String where = pod.owner() + ", container " + c.getName();
        VolumeMount data = mountAt(c, config.dataDir().toString());
        assertThat(data.getReadOnly()).as("%s: the data directory is writable", where).isNotEqualTo(Boolean.TRUE);
        boolean persistentOrScratch = pod.claimTemplates().stream().anyMatch(t -> t.getMetadata().getName().equals(data.getName()))
                || volume(pod, data.getName()).getEmptyDir() != null;
        assertThat(persistentOrScratch).as("%s: the data directory is a volume", where).isTrue();
        assertThat(config.admin().enabled()).isTrue();
        assertThat(config.admin().host()).as("%s: probes reach the admin endpoint on the pod's address", where).isEqualTo("0.0.0.0");
        Map<String, Integer> ports = new HashMap<>();
        for (ContainerPort p : c.getPorts()) {
            ports.put(p.getName(), p.getContainerPort());
        }
        assertThat(ports).as("%s: the admin port", where).containsEntry("admin", config.admin().port());
        config.listeners().forEach((name, listener) -> {
            if (listener.isEnabled() && ports.containsKey(name)) {
                assertThat(ports.get(name)).as("%s: port of listener %s", where, name).isEqualTo(listener.port());
                assertThat(listener.host()).as("%s: a listener the pod exposes binds every address", where).isEqualTo("0.0.0.0");
            }
        });
        return config;
    }

    // ---- helpers ----

    private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null && labels.entrySet().containsAll(selector.entrySet());
    }

    private static String path(Probe probe) {
        return Optional.ofNullable(probe).map(Probe::getHttpGet).map(HTTPGetAction::getPath).orElse("");
    }

    private static ResourceSet.Pod podOf(ResourceSet set, String name) {
        return set.pods().stream().filter(p -> p.owner().endsWith(" " + name)).findFirst().orElseThrow();
    }

    private static Container gatewayContainer(ResourceSet.Pod pod) {
        return single(pod.allContainers().stream().filter(ResourceSet::isGateway).toList());
    }

    private static VolumeMount mountAt(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("container " + c.getName() + " mounts nothing at " + path));
    }

    private static Volume volume(ResourceSet.Pod pod, String name) {
        return pod.spec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseGet(() -> new Volume()); // a claim template
    }

    private static Secret secretMountedAt(ResourceSet set, ResourceSet.Pod pod, Container c, Path dir) {
        Volume v = volume(pod, mountAt(c, dir.toString()).getName());
        assertThat(v.getSecret()).as("a Secret is mounted at %s", dir).isNotNull();
        return set.secret(v.getSecret().getSecretName()).orElseThrow();
    }

    private static Map<String, String> env(Container c) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : c.getEnv()) {
            if (v.getValue() != null) {
                env.put(v.getName(), v.getValue());
            }
        }
        return env;
    }

    /** The value after an option, as {@code --opt value} or {@code --opt=value}. */
    static String option(List<String> args, String name) {
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals(name) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (args.get(i).startsWith(name + "=")) {
                return args.get(i).substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + args);
    }

    private static long seconds(String duration) {
        Matcher m = Pattern.compile("(\\d+)([smh])").matcher(duration);
        assertThat(m.matches()).as("duration %s", duration).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> n;
            case "m" -> n * 60;
            default -> n * 3600;
        };
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
