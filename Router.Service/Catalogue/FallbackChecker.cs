namespace Router.Service.Catalogue;

/// <summary>Checks that fallbacks name existing configs of the same media type and form no cycle.</summary>
internal static class FallbackChecker
{
    public static void Check(IReadOnlyDictionary<string, ConfigDefinition> configs, IReadOnlySet<string> broken, CatalogueErrors errors)
    {
        foreach (var config in configs.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            foreach (var fallback in config.Fallbacks.Where(f => f != config.Name))
            {
                if (configs.TryGetValue(fallback, out var target))
                {
                    if (target.MediaType != config.MediaType)
                    {
                        errors.Add(config.File, "fallbacks", $"fallbacks names '{fallback}', a {target.MediaType} config; a {config.MediaType} config can only fall back to {config.MediaType} configs");
                    }
                }
                else if (!broken.Contains(fallback))
                {
                    errors.Add(config.File, "fallbacks", $"fallbacks names '{fallback}', which does not exist; add configs/{fallback}.json or remove it");
                }
            }
        }

        var state = new Dictionary<string, bool>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in configs.Keys.Order(StringComparer.Ordinal))
        {
            Visit(name, [], configs, state, reported, errors);
        }
    }

    // state: false = on the current path, true = done.
    private static void Visit(
        string name, List<string> path, IReadOnlyDictionary<string, ConfigDefinition> configs,
        Dictionary<string, bool> state, HashSet<string> reported, CatalogueErrors errors)
    {
        if (!configs.TryGetValue(name, out var config) || state.GetValueOrDefault(name, false))
        {
            return;
        }

        state[name] = false;
        path.Add(name);
        foreach (var next in config.Fallbacks.Where(f => f != name))
        {
            if (state.TryGetValue(next, out var done) && !done)
            {
                var cycle = path.Skip(path.IndexOf(next)).ToList();
                var key = string.Join(" ", cycle.Order(StringComparer.Ordinal));
                if (reported.Add(key))
                {
                    var first = configs[cycle.Min(StringComparer.Ordinal)!];
                    var start = cycle.IndexOf(first.Name);
                    var ordered = cycle.Skip(start).Concat(cycle.Take(start)).Append(first.Name);
                    errors.Add(first.File, "fallbacks", $"fallbacks form a cycle: {string.Join(" -> ", ordered)}; remove one of these fallbacks");
                }
            }
            else
            {
                Visit(next, path, configs, state, reported, errors);
            }
        }

        path.RemoveAt(path.Count - 1);
        state[name] = true;
    }
}
