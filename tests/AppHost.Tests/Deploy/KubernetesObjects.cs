using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace AppHost.Tests.Deploy;

/// <summary>
/// The objects of a folder of Kubernetes YAML (every <c>*.yaml</c> but <c>kustomization.yaml</c>), read into the few fields
/// the tests compare: one shape for every kind, absent fields left null.
/// </summary>
internal sealed class KubernetesObjects
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    private KubernetesObjects(IReadOnlyList<KubeObject> all) => All = all;

    public IReadOnlyList<KubeObject> All { get; }

    public IReadOnlyDictionary<string, KubeObject> Deployments => OfKind("Deployment");

    public IReadOnlyDictionary<string, KubeObject> Services => OfKind("Service");

    public IReadOnlyDictionary<string, KubeObject> OfKind(string kind) =>
        All.Where(o => o.Kind == kind).ToDictionary(o => o.Metadata.Name, StringComparer.Ordinal);

    public static KubernetesObjects Load(string folder) =>
        new([.. Directory.EnumerateFiles(folder, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .Order(StringComparer.Ordinal).SelectMany(ReadDocuments<KubeObject>)]);

    public static Kustomization LoadKustomization(string folder) =>
        ReadDocuments<Kustomization>(Path.Combine(folder, "kustomization.yaml")).Single();

    private static IEnumerable<T> ReadDocuments<T>(string path)
    {
        var parser = new Parser(new StringReader(File.ReadAllText(path)));
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            yield return Yaml.Deserialize<T>(parser);
        }
    }
}

internal sealed class KubeObject
{
    public string Kind { get; set; } = "";
    public ObjectMeta Metadata { get; set; } = new();
    public ObjectSpec Spec { get; set; } = new();
}

internal sealed class ObjectMeta
{
    public string Name { get; set; } = "";
}

/// <summary>The union of the specs read: Deployment (replicas, template), Service (ports), HPA (scaleTargetRef), PVC.</summary>
internal sealed class ObjectSpec
{
    public int? Replicas { get; set; }
    public PodTemplate? Template { get; set; }
    public List<ServicePort>? Ports { get; set; }
    public ScaleTarget? ScaleTargetRef { get; set; }
    public List<string>? AccessModes { get; set; }
}

internal sealed class PodTemplate
{
    public PodSpec Spec { get; set; } = new();
}

internal sealed class PodSpec
{
    public List<Container> Containers { get; set; } = [];
    public List<Container> InitContainers { get; set; } = [];
    public List<Volume> Volumes { get; set; } = [];
}

internal sealed class Container
{
    public string Name { get; set; } = "";
    public string Image { get; set; } = "";
    public List<NamedPort> Ports { get; set; } = [];
    public List<EnvVar> Env { get; set; } = [];
    public Probe? ReadinessProbe { get; set; }
    public Probe? LivenessProbe { get; set; }
    public List<VolumeMount> VolumeMounts { get; set; } = [];
}

internal sealed class NamedPort
{
    public string Name { get; set; } = "";
    public int ContainerPort { get; set; }
}

internal sealed class EnvVar
{
    public string Name { get; set; } = "";
    public string? Value { get; set; }
    public EnvVarSource? ValueFrom { get; set; }
}

internal sealed class EnvVarSource
{
    public KeyRef? SecretKeyRef { get; set; }
    public KeyRef? ConfigMapKeyRef { get; set; }
}

internal sealed class KeyRef
{
    public string Name { get; set; } = "";
    public string Key { get; set; } = "";
}

internal sealed class Probe
{
    public HttpGetAction? HttpGet { get; set; }
}

internal sealed class HttpGetAction
{
    public string Path { get; set; } = "";
    public string Port { get; set; } = "";
}

internal sealed class VolumeMount
{
    public string Name { get; set; } = "";
    public string MountPath { get; set; } = "";
}

internal sealed class Volume
{
    public string Name { get; set; } = "";
    public ClaimSource? PersistentVolumeClaim { get; set; }
}

internal sealed class ClaimSource
{
    public string ClaimName { get; set; } = "";
}

internal sealed class ServicePort
{
    public string Name { get; set; } = "";
    public int Port { get; set; }
    public string TargetPort { get; set; } = "";
    public string? AppProtocol { get; set; }
}

internal sealed class ScaleTarget
{
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
}

/// <summary>The generators of a <c>kustomization.yaml</c>.</summary>
internal sealed class Kustomization
{
    public List<string> Resources { get; set; } = [];
    public List<ImageOverride> Images { get; set; } = [];
    public List<ReplicaOverride> Replicas { get; set; } = [];
    public List<Patch> Patches { get; set; } = [];
    public List<Generator> ConfigMapGenerator { get; set; } = [];
    public List<Generator> SecretGenerator { get; set; } = [];
}

internal sealed class Generator
{
    public string Name { get; set; } = "";
    public string? Behavior { get; set; }
    public List<string> Files { get; set; } = [];
    public List<string> Literals { get; set; } = [];
}

internal sealed class ImageOverride
{
    public string Name { get; set; } = "";
}

internal sealed class ReplicaOverride
{
    public string Name { get; set; } = "";
}

internal sealed class Patch
{
    public PatchTarget Target { get; set; } = new();
}

internal sealed class PatchTarget
{
    public string Kind { get; set; } = "";
    public string? Name { get; set; }
}
