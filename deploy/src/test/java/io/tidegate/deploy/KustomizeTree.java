package io.tidegate.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The kustomizations under {@code deploy/k8s} read by hand, without kubectl: which files are resources,
 * patches and generator inputs, and which resources a kustomization ends up with (before patches).
 */
final class KustomizeTree {

    /** A resource's identity as kustomize matches patches: apiVersion, kind, name. */
    record Key(String apiVersion, String kind, String name) {

        static Key of(JsonNode document) {
            return new Key(document.path("apiVersion").asText(""), document.path("kind").asText(""),
                    document.path("metadata").path("name").asText(""));
        }

        @Override
        public String toString() {
            return kind + " " + name + " (" + apiVersion + ")";
        }
    }

    private KustomizeTree() {
    }

    static List<Path> kustomizationDirs() {
        return RepoFiles.yamlFiles(RepoFiles.K8S).stream()
                .filter(f -> f.getFileName().toString().equals("kustomization.yaml"))
                .map(Path::getParent).toList();
    }

    static Kustomization read(Path dir) {
        List<JsonNode> documents = StrictKubernetes.documents(RepoFiles.read(dir.resolve("kustomization.yaml")));
        if (documents.size() != 1) {
            throw new AssertionError(dir + "/kustomization.yaml must hold one document");
        }
        return StrictKubernetes.parse(documents.get(0), Kustomization.class);
    }

    /** The file a generator's {@code files} entry reads ({@code key=path} or {@code path}). */
    static Path generatorFile(Path dir, String entry) {
        int eq = entry.indexOf('=');
        return dir.resolve(eq >= 0 ? entry.substring(eq + 1) : entry).normalize();
    }

    /** The resources a kustomization produces before its patches: its files, its bases', its generators'. */
    static Set<Key> resources(Path dir) {
        Set<Key> keys = new LinkedHashSet<>();
        Kustomization k = read(dir);
        for (String entry : k.resourcesOrEmpty()) {
            Path target = dir.resolve(entry).normalize();
            if (Files.isDirectory(target)) {
                keys.addAll(afterPatches(target));
            } else {
                StrictKubernetes.documents(RepoFiles.read(target)).forEach(d -> keys.add(Key.of(d)));
            }
        }
        if (k.configMapGenerator() != null) {
            k.configMapGenerator().forEach(g -> keys.add(new Key("v1", "ConfigMap", g.name())));
        }
        if (k.secretGenerator() != null) {
            k.secretGenerator().forEach(g -> keys.add(new Key("v1", "Secret", g.name())));
        }
        return keys;
    }

    /** What a kustomization hands to the one that includes it: its resources less those its patches delete. */
    static Set<Key> afterPatches(Path dir) {
        Set<Key> keys = resources(dir);
        for (JsonNode patch : patches(dir)) {
            if ("delete".equals(patch.path("$patch").asText())) {
                keys.remove(Key.of(patch));
            }
        }
        return keys;
    }

    /** The strategic-merge patches of a kustomization, from files and inline. */
    static List<JsonNode> patches(Path dir) {
        List<JsonNode> patches = new ArrayList<>();
        for (Kustomization.Patch patch : read(dir).patchesOrEmpty()) {
            String text = patch.path() != null ? RepoFiles.read(dir.resolve(patch.path())) : patch.patch();
            patches.addAll(StrictKubernetes.documents(text == null ? "" : text));
        }
        return patches;
    }

    /** Container images named anywhere in the resource files a kustomization and its bases list. */
    static Set<String> images(Path dir) {
        Set<String> images = new LinkedHashSet<>();
        for (String entry : read(dir).resourcesOrEmpty()) {
            Path target = dir.resolve(entry).normalize();
            if (Files.isDirectory(target)) {
                images.addAll(images(target));
            } else {
                for (JsonNode document : StrictKubernetes.documents(RepoFiles.read(target))) {
                    document.findValues("image").forEach(v -> images.add(v.asText()));
                }
            }
        }
        for (JsonNode patch : patches(dir)) {
            patch.findValues("image").forEach(v -> images.add(v.asText()));
        }
        return images;
    }
}
