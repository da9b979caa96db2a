namespace AppHost.Hosting;

/// <summary>
/// A string evaluated when a process starts, so it can contain endpoint URLs:
/// <c>ReferenceExpression.Create($"{emulator.GetEndpoint("http")}/v1")</c>.
/// </summary>
public sealed class ReferenceExpression
{
    private readonly FormattableString _format;

    private ReferenceExpression(FormattableString format) => _format = format;

    public static ReferenceExpression Create(FormattableString format) => new(format);

    /// <summary>The value with every <see cref="EndpointReference"/> replaced by its URL.</summary>
    public string GetValue() =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, _format.Format, [.. _format.GetArguments().Select(a => a?.ToString())]);

    public override string ToString() => _format.Format;
}
