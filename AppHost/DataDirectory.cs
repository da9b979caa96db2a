namespace AppHost;

/// <summary>The fleet's durable data folder (absolute), from <see cref="PipelineResourceExtensions.AddDataDirectory"/>.</summary>
public sealed record DataDirectory(string Path);
