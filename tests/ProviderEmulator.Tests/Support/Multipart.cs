using System.Text;

namespace ProviderEmulator.Tests.Support;

/// <summary>
/// Hand-built multipart/form-data bodies with the .NET SDK's wire quirks: quoted boundary containing '=', unquoted
/// Content-Disposition names, file parts without Content-Type, text parts with "text/plain; charset=utf-8".
/// </summary>
public sealed class Multipart
{
    public const string Boundary = "n79JSKKR1d+/x=Yq0";
    private readonly MemoryStream _body = new();

    public string ContentType => $"multipart/form-data; boundary=\"{Boundary}\"";

    public Multipart Text(string name, string value)
    {
        Write($"--{Boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: form-data; name={name}\r\n\r\n{value}\r\n");
        return this;
    }

    public Multipart File(string name, string fileName, byte[] content)
    {
        Write($"--{Boundary}\r\nContent-Disposition: form-data; name={name}; filename={fileName}; filename*=utf-8''{fileName}\r\n\r\n");
        _body.Write(content);
        Write("\r\n");
        return this;
    }

    public byte[] Build()
    {
        Write($"--{Boundary}--\r\n");
        return _body.ToArray();
    }

    private void Write(string text) => _body.Write(Encoding.UTF8.GetBytes(text));
}
