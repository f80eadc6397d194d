package io.tidegate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every YAML file under {@code deploy/k8s}, as written (no kubectl needed): kustomizations, resources and
 * patches bind strictly to their models, every file a kustomization names exists, every patch targets a
 * resource the kustomization has, and no file is left out.
 */
class KubernetesFilesTest {

    /** Files that kustomizations name as generator inputs (data, not resources), e.g. tidegate.yaml. */
    private static Set<Path> generatorInputs() {
        Set<Path> inputs = new HashSet<>();
        for (Path dir : KustomizeTree.kustomizationDirs()) {
            for (Kustomization.Generator g : KustomizeTree.read(dir).generators()) {
                g.filesOrEmpty().forEach(entry -> inputs.add(KustomizeTree.generatorFile(dir, entry)));
            }
        }
        return inputs;
    }

    private static Set<Path> patchFiles() {
        Set<Path> patches = new HashSet<>();
        for (Path dir : KustomizeTree.kustomizationDirs()) {
            KustomizeTree.read(dir).patchesOrEmpty().stream().filter(p -> p.path() != null)
                    .forEach(p -> patches.add(dir.resolve(p.path()).normalize()));
        }
        return patches;
    }

    @TestFactory
    Stream<DynamicTest> everyYamlFileBindsStrictly() {
        Set<Path> inputs = generatorInputs();
        Set<Path> patches = patchFiles();
        List<Path> files = RepoFiles.yamlFiles(RepoFiles.K8S);
        assertThat(files).hasSizeGreaterThan(10);
        return files.stream().filter(f -> !inputs.contains(f.normalize())).map(file -> DynamicTest.dynamicTest(
                RepoFiles.relative(file), () -> {
                    if (file.getFileName().toString().equals("kustomization.yaml")) {
                        Kustomization k = KustomizeTree.read(file.getParent());
                        assertThat(k.apiVersion()).isEqualTo("kustomize.config.k8s.io/v1beta1");
                        assertThat(k.kind()).isEqualTo("Kustomization");
                        return;
                    }
                    List<JsonNode> documents = StrictKubernetes.documents(RepoFiles.read(file));
                    assertThat(documents).as("documents in %s", file).isNotEmpty();
                    if (patches.contains(file.normalize())) {
                        documents.forEach(StrictKubernetes::parsePatch);
                    } else {
                        assertThat(ResourceSet.parse(RepoFiles.relative(file), RepoFiles.read(file)).all())
                                .hasSameSizeAs(documents);
                    }
                }));
    }

    @Test
    void strictBindingRefusesWhatKubernetesWouldNotAccept() {
        String statefulSet = """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: x}
                spec:
                  serviceName: x
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: c
                          image: i
                          %s
                """;
        assertThat(ResourceSet.parse("ok", statefulSet.formatted("imagePullPolicy: Always")).all(StatefulSet.class)).hasSize(1);
        // A misspelt field deep inside the pod template.
        assertThatThrownBy(() -> ResourceSet.parse("typo", statefulSet.formatted("imagePullPolicyy: Always")))
                .hasMessageContaining("imagePullPolicyy");
        // A field at the wrong level.
        assertThatThrownBy(() -> ResourceSet.parse("level", statefulSet.formatted("replicas: 2")))
                .hasMessageContaining("replicas");
        // A number written as a string.
        assertThatThrownBy(() -> ResourceSet.parse("coercion", statefulSet.formatted("ports: [{containerPort: \"1883\"}]")))
                .isInstanceOf(AssertionError.class);
        // The same key twice.
        assertThatThrownBy(() -> ResourceSet.parse("duplicate", statefulSet.formatted("image: j")))
                .hasStackTraceContaining("Duplicate field 'image'");
        // An API version the kind does not have.
        assertThatThrownBy(() -> ResourceSet.parse("version", "apiVersion: policy/v1beta1\nkind: StatefulSet\nmetadata: {name: x}\n"))
                .hasMessageContaining("not a known Kubernetes kind");
        // The custom resource's model is strict too.
        assertThatThrownBy(() -> ResourceSet.parse("monitor", """
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: x}
                spec: {selector: {matchLabels: {a: b}}, endpoints: [{port: admin, intervall: 15s}]}
                """)).hasMessageContaining("intervall");
        // A kustomization with a field kustomize deprecated.
        assertThatThrownBy(() -> StrictKubernetes.parse(StrictKubernetes.documents(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonLabels: {a: b}\n").get(0),
                Kustomization.class)).hasMessageContaining("commonLabels");
    }

    @TestFactory
    Stream<DynamicTest> kustomizationsNameFilesThatExistAndPatchesThatApply() {
        return KustomizeTree.kustomizationDirs().stream().map(dir -> DynamicTest.dynamicTest(RepoFiles.relative(dir), () -> {
            Kustomization k = KustomizeTree.read(dir);
            for (String entry : k.resourcesOrEmpty()) {
                assertThat(entry).as("remote or absolute resource in %s", dir).doesNotContain("://").doesNotStartWith("/");
                Path target = dir.resolve(entry).normalize();
                assertThat(target).as("resource %s of %s", entry, dir).startsWith(RepoFiles.K8S).exists();
                if (Files.isDirectory(target)) {
                    assertThat(target.resolve("kustomization.yaml")).as("kustomization in %s", target).isRegularFile();
                }
            }
            for (Kustomization.Generator g : k.generators()) {
                assertThat(g.name()).as("generator name in %s", dir).isNotBlank();
                for (String entry : g.filesOrEmpty()) {
                    assertThat(KustomizeTree.generatorFile(dir, entry)).as("generator file %s in %s", entry, dir).isRegularFile();
                }
            }
            Set<KustomizeTree.Key> resources = KustomizeTree.resources(dir);
            for (Kustomization.Patch patch : k.patchesOrEmpty()) {
                assertThat(patch.path() != null ^ patch.patch() != null).as("a patch has a path or inline text: %s", patch).isTrue();
                assertThat(patch.target()).as("patches here target by their own apiVersion/kind/name: %s", patch).isNull();
                if (patch.path() != null) {
                    assertThat(dir.resolve(patch.path())).as("patch file in %s", dir).isRegularFile();
                }
            }
            for (JsonNode patch : KustomizeTree.patches(dir)) {
                StrictKubernetes.parsePatch(patch);
                assertThat(resources).as("resources of %s that the patch %s targets", dir, KustomizeTree.Key.of(patch))
                        .contains(KustomizeTree.Key.of(patch));
            }
            Set<String> images = KustomizeTree.images(dir);
            for (Kustomization.Image image : k.imagesOrEmpty()) {
                assertThat(images).as("the images transformer's name %s must be an image in %s", image.name(), dir)
                        .contains(image.name());
            }
        }));
    }

    @Test
    void everyOverlayNamesTheImageOfEveryTidegateContainer() {
        Path overlays = RepoFiles.K8S.resolve("overlays");
        List<String> missing = new ArrayList<>();
        for (Path dir : KustomizeTree.kustomizationDirs()) {
            if (!dir.startsWith(overlays)) {
                continue;
            }
            Set<String> named = new HashSet<>();
            KustomizeTree.read(dir).imagesOrEmpty().forEach(i -> named.add(i.name()));
            for (String image : KustomizeTree.images(dir)) {
                // A bare name (no registry, no tag) is a placeholder only the overlay's images entry resolves.
                if (!image.contains("/") && !image.contains(":") && !named.contains(image)) {
                    missing.add(RepoFiles.relative(dir) + ": " + image);
                }
            }
        }
        assertThat(missing).as("images left as placeholders").isEmpty();
    }

    @Test
    void everyFileUnderK8sIsUsedByAKustomization() {
        Set<Path> used = new HashSet<>(generatorInputs());
        used.addAll(patchFiles());
        for (Path dir : KustomizeTree.kustomizationDirs()) {
            used.add(dir.resolve("kustomization.yaml"));
            KustomizeTree.read(dir).resourcesOrEmpty().forEach(entry -> used.add(dir.resolve(entry).normalize()));
        }
        List<String> unused = RepoFiles.yamlFiles(RepoFiles.K8S).stream().filter(f -> !used.contains(f.normalize()))
                .map(RepoFiles::relative).toList();
        assertThat(unused).as("YAML files no kustomization names").isEmpty();
    }
}
