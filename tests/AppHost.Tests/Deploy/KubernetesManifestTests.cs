using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AppHost.Tests.Deploy;

/// <summary>
/// <c>deploy/kubernetes</c> stays in step with the app model: the AppHost's published manifest (its scaled profile, real
/// providers) against the base's Deployments and Services, every difference either listed in <see cref="ClusterDifferences"/>
/// or reported by resource, port or variable name.
/// </summary>
public sealed partial class KubernetesManifestTests(AspireManifestFixture fixture) : IClassFixture<AspireManifestFixture>
{
    private static readonly string[] HpaScaled = ["gateway", "router"];
    private static readonly string[] DisruptionBudgeted = ["gateway", "router", "storage"];

    private AspireManifest Manifest => fixture.Manifest;

    private KubernetesObjects Base => fixture.Base;

    /// <summary>The projects the cluster runs: every project of the manifest but the emulator (PostgreSQL and S3 are external).</summary>
    private IEnumerable<ManifestResource> Deployed => Manifest.Projects.Where(p => p.Name != ClusterDifferences.Emulator);

    [Fact]
    public void Base_EveryProjectOfTheManifest_HasADeploymentAndAServiceAndNothingElseDoes()
    {
        var projects = Deployed.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.DoesNotContain(ClusterDifferences.Emulator, Manifest.Resources.Keys);

        foreach (var (kind, names) in new[] { ("Deployment", Base.Deployments.Keys), ("Service", Base.Services.Keys) })
        {
            var missing = projects.Except(names, StringComparer.Ordinal).ToList();
            var extra = names.Except(projects, StringComparer.Ordinal).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"{kind}s in deploy/kubernetes/base differ from the manifest's projects: missing [{string.Join(", ", missing)}], " +
                $"not in the manifest [{string.Join(", ", extra)}]");
        }
    }

    [Fact]
    public void Base_EveryBinding_IsANamedServicePortAndContainerPortOnItsTargetPort()
    {
        var errors = new List<string>();
        foreach (var project in Deployed)
        {
            var bindings = DeployedBindings(project, errors);
            var container = MainContainer(project.Name);
            var servicePorts = Base.Services[project.Name].Spec.Ports ?? [];
            foreach (var binding in bindings)
            {
                var where = $"{project.Name}: binding '{binding.Name}' (targetPort {binding.TargetPort}, transport {binding.Transport})";
                if (servicePorts.SingleOrDefault(p => p.Name == binding.Name) is not { } port)
                {
                    errors.Add($"{where} has no Service port named '{binding.Name}'");
                }
                else
                {
                    if (port.Port != binding.TargetPort || (port.TargetPort != binding.Name && port.TargetPort != $"{binding.TargetPort}"))
                    {
                        errors.Add($"{where}: Service port is {port.Port} → {port.TargetPort}; expected {binding.TargetPort} → {binding.Name}");
                    }
                    var expected = binding.Transport == "http2" ? "kubernetes.io/h2c" : null;
                    if (port.AppProtocol != expected && !(expected is null && port.AppProtocol == "http"))
                    {
                        errors.Add($"{where}: Service port has appProtocol '{port.AppProtocol ?? "(none)"}'; expected '{expected ?? "(none) or http"}'");
                    }
                }
                if (container.Ports.SingleOrDefault(p => p.Name == binding.Name) is not { } containerPort)
                {
                    errors.Add($"{where} has no container port named '{binding.Name}'");
                }
                else if (containerPort.ContainerPort != binding.TargetPort)
                {
                    errors.Add($"{where}: container port is {containerPort.ContainerPort}");
                }
            }
            var names = bindings.Select(b => b.Name).ToHashSet(StringComparer.Ordinal);
            errors.AddRange(servicePorts.Where(p => !names.Contains(p.Name)).Select(p => $"{project.Name}: Service port '{p.Name}' is no binding of the manifest"));
            errors.AddRange(container.Ports.Where(p => !names.Contains(p.Name)).Select(p => $"{project.Name}: container port '{p.Name}' is no binding of the manifest"));
        }
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Base_EveryVariableTheManifestGivesAProject_IsSetInItsDeploymentWithTheClusterValue()
    {
        var errors = new List<string>();
        foreach (var project in Deployed)
        {
            var container = MainContainer(project.Name);
            foreach (var (name, value) in project.Env)
            {
                if (ClusterDifferences.WhyNotDeployed(project, name, value) is not null)
                {
                    continue;
                }
                if (container.Env.SingleOrDefault(e => e.Name == name) is not { } deployed)
                {
                    errors.Add($"{project.Name}: the manifest sets {name} = '{value}'; the Deployment does not (add it, or list it in {nameof(ClusterDifferences)})");
                }
                else if (Mismatch(project, container, name, value, deployed) is { } mismatch)
                {
                    errors.Add($"{project.Name}: {name} {mismatch}");
                }
            }
        }
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Base_EveryDeploymentVariable_IsNamedByTheManifestOrListedAsClusterOnly()
    {
        var errors = new List<string>();
        foreach (var project in Deployed)
        {
            foreach (var variable in MainContainer(project.Name).Env.Select(e => e.Name))
            {
                if (!project.Env.ContainsKey(variable) && !ClusterDifferences.ClusterOnly.ContainsKey((project.Name, variable)))
                {
                    errors.Add($"{project.Name}: the Deployment sets {variable}, which the manifest does not name (stale? else list it in {nameof(ClusterDifferences.ClusterOnly)})");
                }
            }
        }
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Base_EveryDeployment_IsReadyOnHealthAndAliveOnAliveThroughItsHttpPort()
    {
        var errors = new List<string>();
        foreach (var (name, deployment) in Base.Deployments)
        {
            foreach (var container in deployment.Spec.Template!.Spec.Containers)
            {
                foreach (var (probe, kind, path) in new[] { (container.ReadinessProbe, "readiness", "/health"), (container.LivenessProbe, "liveness", "/alive") })
                {
                    if (probe?.HttpGet is not { } get)
                    {
                        errors.Add($"{name}/{container.Name}: no {kind} probe (httpGet {path} on port http)");
                    }
                    else if (get.Path != path || get.Port != "http")
                    {
                        errors.Add($"{name}/{container.Name}: {kind} probe is httpGet {get.Path} on port {get.Port}; expected {path} on port http");
                    }
                }
            }
        }
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void DeployTree_EverySecretLookingVariable_ComesFromASecretAndNoSecretValueIsWritten()
    {
        var errors = new List<string>();
        foreach (var file in Directory.EnumerateFiles(fixture.KubernetesFolder, "*.yaml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(fixture.RepoRoot, file);
            var yaml = new YamlStream();
            yaml.Load(new StringReader(File.ReadAllText(file)));
            foreach (var node in yaml.Documents.SelectMany(d => d.AllNodes).OfType<YamlMappingNode>())
            {
                if (Scalar(node, "kind") == "Secret" && (node.Children.ContainsKey("data") || node.Children.ContainsKey("stringData")))
                {
                    errors.Add($"{relative}: a Secret with its values written out; create pipeline-secrets outside the repository");
                }
                if (node.Children.TryGetValue("secretGenerator", out var generators) && generators.AllNodes.OfType<YamlMappingNode>().Any(g => g.Children.ContainsKey("literals")))
                {
                    errors.Add($"{relative}: a secretGenerator with literals writes secret values into the repository");
                }
                if (Scalar(node, "name") is { } name && IsSecretLooking(name) && node.Children.ContainsKey("value"))
                {
                    errors.Add($"{relative}: {name} has a literal value; take it from a Secret (valueFrom.secretKeyRef)");
                }
                if (Scalar(node, "name") is { } fromName && IsSecretLooking(fromName) && node.Children.TryGetValue("valueFrom", out var from)
                    && from is YamlMappingNode source && !source.Children.ContainsKey("secretKeyRef"))
                {
                    errors.Add($"{relative}: {fromName} comes from {string.Join(", ", source.Children.Keys)}; take it from a Secret (secretKeyRef)");
                }
            }
        }
        foreach (var project in Deployed)
        {
            foreach (var name in project.Env.Keys.Where(IsSecretLooking)
                .Where(n => ClusterDifferences.WhyNotDeployed(project, n, project.Env[n]) is null && MainContainer(project.Name).Env.All(e => e.Name != n)))
            {
                errors.Add($"{project.Name}: the manifest's {name} looks secret, and the Deployment does not take it from a Secret");
            }
        }
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Base_Catalogue_IsTheShippedOneAndEveryFileIsInAGenerator()
    {
        var copy = Path.Combine(fixture.BaseFolder, "catalogue");
        var shipped = Files(fixture.ShippedCatalogue);
        var copied = Files(copy);
        Assert.True(shipped.SequenceEqual(copied),
            $"deploy/kubernetes/base/catalogue differs from Router.Service/catalogue-data in its files: only shipped [{string.Join(", ", shipped.Except(copied))}], " +
            $"only copied [{string.Join(", ", copied.Except(shipped))}]; copy the folder again");
        var changed = shipped.Where(f => !File.ReadAllBytes(Path.Combine(fixture.ShippedCatalogue, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(copy, f)))).ToList();
        Assert.True(changed.Count == 0, $"deploy/kubernetes/base/catalogue differs from Router.Service/catalogue-data in [{string.Join(", ", changed)}]; copy the folder again");

        var generators = KubernetesObjects.LoadKustomization(fixture.BaseFolder).ConfigMapGenerator.ToDictionary(g => g.Name, StringComparer.Ordinal);
        foreach (var (generator, folder) in new[] { ("router-catalogue", ""), ("router-catalogue-chunks", "chunks/"), ("router-catalogue-configs", "configs/") })
        {
            var expected = shipped.Where(f => folder.Length == 0 ? !f.Contains('/') : f.StartsWith(folder, StringComparison.Ordinal)).Select(f => $"catalogue/{f}").ToList();
            var listed = generators[generator].Files.Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(listed),
                $"configMapGenerator {generator} lists [{string.Join(", ", listed.Except(expected))}] that are not catalogue files and misses [{string.Join(", ", expected.Except(listed))}]");
        }
    }

    [Fact]
    public void Base_GatewayRouterStorage_HaveDisruptionBudgetsAndGatewayRouterAutoscalers()
    {
        var budgets = Base.OfKind("PodDisruptionBudget");
        var autoscalers = Base.OfKind("HorizontalPodAutoscaler").Values.ToDictionary(h => h.Spec.ScaleTargetRef!.Name, StringComparer.Ordinal);
        Assert.All(DisruptionBudgeted, name => Assert.True(budgets.ContainsKey(name), $"no PodDisruptionBudget for {name}"));
        Assert.All(HpaScaled, name => Assert.True(autoscalers.ContainsKey(name), $"no HorizontalPodAutoscaler for the Deployment {name}"));
        Assert.All(autoscalers.Keys, name => Assert.True(Base.Deployments[name].Spec.Replicas is null,
            $"{name} is scaled by its HorizontalPodAutoscaler; spec.replicas in the Deployment would reset it at every apply"));
        var spool = Base.OfKind("PersistentVolumeClaim")["router-spool"];
        Assert.Equal(["ReadWriteMany"], spool.Spec.AccessModes);
        Assert.Contains(Base.Deployments["router"].Spec.Template!.Spec.Volumes, v => v.PersistentVolumeClaim?.ClaimName == "router-spool");
    }

    /// <summary>
    /// What an overlay changes exists in the base: the resources it builds on, every image it retags, every Deployment it
    /// scales, every object a patch targets and every generator it merges into (checked here without kustomize, which CI
    /// machines may lack; <see cref="Overlays_BuildWithKustomize"/> builds them where it is installed).
    /// </summary>
    [Fact]
    public void Overlays_ChangeOnlyWhatTheBaseHas()
    {
        var baseFolder = Path.Combine(fixture.KubernetesFolder, "base");
        var generators = KubernetesObjects.LoadKustomization(baseFolder).ConfigMapGenerator.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var images = Base.Deployments.Values.SelectMany(d => d.Spec.Template!.Spec.Containers.Concat(d.Spec.Template.Spec.InitContainers))
            .Select(c => c.Image.Split(':')[0]).ToHashSet(StringComparer.Ordinal);
        var overlays = Directory.EnumerateDirectories(Path.Combine(fixture.KubernetesFolder, "overlays")).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(overlays);
        foreach (var overlay in overlays)
        {
            var name = Path.GetFileName(overlay);
            var kustomization = KubernetesObjects.LoadKustomization(overlay);
            Assert.All(kustomization.Resources, r => Assert.True(Directory.Exists(Path.Combine(overlay, r)) || File.Exists(Path.Combine(overlay, r)), $"{name}: resource {r} does not exist"));
            Assert.All(kustomization.Images, i => Assert.True(images.Contains(i.Name), $"{name}: image {i.Name} is no container's image in the base"));
            Assert.All(kustomization.Replicas, r => Assert.True(Base.Deployments.ContainsKey(r.Name), $"{name}: replicas of {r.Name}, which is no Deployment of the base"));
            Assert.All(kustomization.Patches, p => Assert.True(
                Base.All.Any(o => o.Kind == p.Target.Kind && (p.Target.Name is null || o.Metadata.Name == p.Target.Name)),
                $"{name}: a patch targets {p.Target.Kind} {p.Target.Name ?? "(any)"}, which the base does not have"));
            Assert.All(kustomization.ConfigMapGenerator.Where(g => g.Behavior is "merge" or "replace"), g => Assert.True(generators.Contains(g.Name),
                $"{name}: merges into ConfigMap {g.Name}, which the base does not generate"));
        }
    }

    [Fact]
    public async Task Overlays_BuildWithKustomize()
    {
        var ct = TestContext.Current.CancellationToken;
        if (!Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, "kubectl"))))
        {
            Assert.Skip("kubectl (with its built-in kustomize) is not installed");
        }
        foreach (var overlay in Directory.EnumerateDirectories(Path.Combine(fixture.KubernetesFolder, "overlays")).Order(StringComparer.Ordinal))
        {
            var start = new ProcessStartInfo("kubectl", ["kustomize", overlay]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var kubectl = Process.Start(start)!;
            var output = kubectl.StandardOutput.ReadToEndAsync(ct);
            var error = kubectl.StandardError.ReadToEndAsync(ct);
            await kubectl.WaitForExitAsync(ct).DefaultTimeout();
            Assert.True(kubectl.ExitCode == 0, $"kubectl kustomize {Path.GetRelativePath(fixture.RepoRoot, overlay)} failed: {await error}");
            Assert.Contains("kind: Deployment", await output, StringComparison.Ordinal);
        }
    }

    /// <summary>What is wrong with the Deployment's <paramref name="deployed"/> against the manifest's value, or null.</summary>
    private string? Mismatch(ManifestResource project, Container container, string name, string value, EnvVar deployed)
    {
        var placeholders = AspireManifest.Placeholders(value);
        if (placeholders.Any(Manifest.IsSecret) || IsSecretLooking(name))
        {
            if (deployed.ValueFrom?.SecretKeyRef is not { } secret)
            {
                return $"is a secret ('{value}'); take it from a Secret (secretKeyRef)";
            }
            return placeholders is [var only] && only.Text == value && Manifest.IsSecret(only) && secret.Key != only.Resource
                ? $"comes from {secret.Name}/{secret.Key}; name the key after the manifest's secret: {only.Resource}"
                : null;
        }
        if (placeholders.FirstOrDefault(p => !Deployed.Any(d => d.Name == p.Resource)) is { } outside)
        {
            return deployed.ValueFrom is { ConfigMapKeyRef: not null } or { SecretKeyRef: not null }
                ? null
                : $"names {outside.Resource}, which the cluster does not run ('{value}'); take it from configuration (configMapKeyRef)";
        }
        if (deployed.ValueFrom?.ConfigMapKeyRef is not null)
        {
            return null;
        }
        if (deployed.Value is null)
        {
            return "has neither a value nor a configMapKeyRef";
        }
        if (ClusterDifferences.PathVariables.Contains(name))
        {
            return container.VolumeMounts.Any(m => deployed.Value == m.MountPath || deployed.Value.StartsWith(m.MountPath.TrimEnd('/') + "/", StringComparison.Ordinal))
                ? null
                : $"is '{deployed.Value}', on no volume mounted into the container";
        }
        if (Resolve(value, placeholders) is not { } expected)
        {
            return $"has a placeholder this test cannot map to the cluster ('{value}')";
        }
        var actual = WildcardHost().Replace(deployed.Value, "://*:");
        return actual == expected ? null : $"is '{deployed.Value}'; the manifest's '{value}' is '{expected}' in the cluster";
    }

    /// <summary>
    /// The manifest's value with each binding placeholder as the cluster's DNS name and port (a Service's port is its
    /// binding's target port), or null for a placeholder of another kind.
    /// </summary>
    private string? Resolve(string value, IReadOnlyList<Placeholder> placeholders)
    {
        foreach (var placeholder in placeholders)
        {
            var parts = placeholder.Path.Split('.');
            if (parts is not ["bindings", var endpoint, var property]
                || !Manifest.Resources[placeholder.Resource].Bindings.TryGetValue(endpoint, out var binding) || binding.TargetPort is not { } port)
            {
                return null;
            }
            string? replacement = property switch
            {
                "url" => $"{binding.Scheme}://{placeholder.Resource}:{port}",
                "targetPort" or "port" => $"{port}",
                "host" => placeholder.Resource,
                _ => null,
            };
            if (replacement is null)
            {
                return null;
            }
            value = value.Replace(placeholder.Text, replacement, StringComparison.Ordinal);
        }
        return value;
    }

    /// <summary>The project's bindings but the publish-only https one, which must not hide a real endpoint.</summary>
    private static List<ManifestBinding> DeployedBindings(ManifestResource project, List<string> errors)
    {
        if (project.Bindings.TryGetValue(ClusterDifferences.PublishOnlyBinding, out var https)
            && (project.Env.ContainsKey($"Kestrel__Endpoints__{https.Name}__Url") || project.Bindings.Values.All(b => b == https || b.TargetPort != https.TargetPort)))
        {
            errors.Add($"{project.Name}: binding '{https.Name}' is a real endpoint now (its own port or a Kestrel URL); deploy it and drop it from {nameof(ClusterDifferences.PublishOnlyBinding)}");
        }
        return [.. project.Bindings.Values.Where(b => b.Name != ClusterDifferences.PublishOnlyBinding)];
    }

    private Container MainContainer(string deployment)
    {
        var containers = Base.Deployments[deployment].Spec.Template!.Spec.Containers;
        return Assert.Single(containers, c => c.Name == deployment);
    }

    private static List<string> Files(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) && value is YamlScalarNode { Value: var text } ? text : null;

    /// <summary>Keys, tokens, secrets, passwords, connection strings and key hashes, by their variable's name.</summary>
    private static bool IsSecretLooking(string name) => SecretLookingName().IsMatch(name);

    [GeneratedRegex(@"(?i)(api_?key|api_?token|secret|password|accesskey|connectionstrings__|__sha256$)")]
    private static partial Regex SecretLookingName();

    [GeneratedRegex(@"://(\+|0\.0\.0\.0|\[::\]):")]
    private static partial Regex WildcardHost();
}
