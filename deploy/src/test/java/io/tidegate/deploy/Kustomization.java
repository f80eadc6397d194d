package io.tidegate.deploy;

import java.util.List;
import java.util.Map;

/**
 * A {@code kustomization.yaml} ({@code kustomize.config.k8s.io/v1beta1}) with the fields kustomize v5
 * documents for these uses. Bound strictly: a typo, or a field kustomize deprecated ({@code commonLabels},
 * {@code patchesStrategicMerge}, {@code bases}), fails.
 */
record Kustomization(String apiVersion, String kind, String namespace, String namePrefix, String nameSuffix,
                     List<String> resources, List<String> components, List<Patch> patches,
                     List<Generator> configMapGenerator, List<Generator> secretGenerator,
                     GeneratorOptions generatorOptions, List<Labels> labels, Map<String, String> commonAnnotations,
                     List<Image> images, List<Replica> replicas) {

    List<String> resourcesOrEmpty() {
        return resources == null ? List.of() : resources;
    }

    List<Patch> patchesOrEmpty() {
        return patches == null ? List.of() : patches;
    }

    List<Generator> generators() {
        return java.util.stream.Stream.concat(
                configMapGenerator == null ? java.util.stream.Stream.empty() : configMapGenerator.stream(),
                secretGenerator == null ? java.util.stream.Stream.empty() : secretGenerator.stream()).toList();
    }

    List<Image> imagesOrEmpty() {
        return images == null ? List.of() : images;
    }

    record Patch(String path, String patch, Target target, Map<String, Boolean> options) {
    }

    record Target(String group, String version, String kind, String name, String namespace, String labelSelector,
                  String annotationSelector) {
    }

    record Generator(String name, String namespace, String behavior, String type, List<String> files,
                     List<String> literals, List<String> envs, GeneratorOptions options) {

        List<String> filesOrEmpty() {
            return files == null ? List.of() : files;
        }
    }

    record GeneratorOptions(Map<String, String> labels, Map<String, String> annotations, Boolean disableNameSuffixHash,
                            Boolean immutable) {
    }

    record Labels(Map<String, String> pairs, Boolean includeSelectors, Boolean includeTemplates,
                  List<Map<String, Object>> fields) {
    }

    record Image(String name, String newName, String newTag, String digest) {
    }

    record Replica(String name, Integer count) {
    }
}
