using System.Text.Json;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.OpenAI;

/// <summary>JSON pieces shared by the images response and its events.</summary>
public static class ImageJson
{
    /// <summary>OpenAI's image <c>usage</c> object.</summary>
    public static void WriteUsage(Utf8JsonWriter json, Usage usage)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", usage.InputTokens);
        json.WriteStartObject("input_tokens_details");
        json.WriteNumber("image_tokens", usage.InputImageTokens);
        json.WriteNumber("text_tokens", usage.InputTextTokens);
        json.WriteEndObject();
        json.WriteNumber("output_tokens", usage.OutputTokens);
        json.WriteStartObject("output_tokens_details");
        json.WriteNumber("image_tokens", usage.OutputImageTokens);
        json.WriteNumber("text_tokens", usage.OutputTextTokens);
        json.WriteEndObject();
        json.WriteNumber("total_tokens", usage.TotalTokens);
        json.WriteEndObject();
    }

    /// <summary>The sum of the images' usage.</summary>
    public static Usage Sum(IEnumerable<Final> images)
    {
        var total = new Usage();
        foreach (var usage in images.Select(i => i.Usage).OfType<Usage>())
        {
            total.InputTokens += usage.InputTokens;
            total.OutputTokens += usage.OutputTokens;
            total.TotalTokens += usage.TotalTokens;
            total.InputTextTokens += usage.InputTextTokens;
            total.InputImageTokens += usage.InputImageTokens;
            total.OutputImageTokens += usage.OutputImageTokens;
            total.OutputTextTokens += usage.OutputTextTokens;
        }
        return total;
    }

    /// <summary>Our additions about one stored image, inside a <c>pipeline</c> object.</summary>
    public static void WriteStoredImage(Utf8JsonWriter json, Final image)
    {
        json.WriteString("id", image.ImageId);
        json.WriteNumber("index", image.ImageIndex);
        json.WriteString("url", image.Storage?.UrlPath is { Length: > 0 } path ? path : $"/images/{image.ImageId}");
        json.WriteString("mime_type", image.MimeType);
        json.WriteNumber("width", image.Width);
        json.WriteNumber("height", image.Height);
        if (image.Storage is { } storage)
        {
            json.WriteString("sha256", storage.Sha256);
            json.WriteNumber("size_bytes", storage.SizeBytes);
            json.WriteBoolean("storage_pending", storage.Pending);
        }
        json.WriteNumber("cost_usd_micros", image.CostUsdMicros);
        json.WriteBoolean("cost_known", image.CostKnown);
        json.WriteNumber("charged_usd_micros", image.ChargedUsdMicros);
        json.WriteString("finish_reason", image.FinishReason switch
        {
            FinishReason.Stored => "stored",
            FinishReason.StoragePending => "storage_pending",
            FinishReason.Replayed => "replayed",
            FinishReason.Quarantined => "quarantined",
            _ => "unspecified",
        });
        if (image.FinishDetail.Length > 0)
        {
            json.WriteString("finish_detail", image.FinishDetail);
        }
    }
}
