using ProviderEmulator.Hosting;

namespace ProviderEmulator.OpenAI;

/// <summary>data:image/…;base64,… URLs, as image inputs are sent inline.</summary>
internal static class DataUrl
{
    public static string Encode(string mimeType, byte[] bytes) => $"data:{mimeType};base64,{Convert.ToBase64String(bytes)}";

    public static byte[] Decode(string url, string param)
    {
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) || comma < 0 || !url[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
        {
            throw new ApiErrorException(ApiError.InvalidValue(param, "The emulator cannot download images: pass a data:image/...;base64,... URL."));
        }

        try
        {
            return Convert.FromBase64String(url[(comma + 1)..]);
        }
        catch (FormatException)
        {
            throw new ApiErrorException(new ApiError(400, "Invalid base64 image_url.", Param: param, Code: "invalid_image_url"));
        }
    }
}
