using System.Text;
using System.Text.Json;
using Gateway.OpenAI;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.Tests.OpenAI;

public sealed class ImageJsonTests
{
    [Fact]
    public void WriteStoredImage_QuarantinedImage_SaysSoWithStoragesReason()
    {
        var image = new Final
        {
            ImageId = "run-1-0",
            FinishReason = FinishReason.Quarantined,
            FinishDetail = "storage refused the image for good (InvalidArgument): image is 60 MB; the cap is 50 MB",
        };

        var json = Write(image);

        Assert.Equal("quarantined", json.GetProperty("finish_reason").GetString());
        Assert.Equal(image.FinishDetail, json.GetProperty("finish_detail").GetString());
    }

    [Fact]
    public void WriteStoredImage_StoredImage_NoFinishDetail()
    {
        var json = Write(new Final { ImageId = "run-1-0", FinishReason = FinishReason.Stored });

        Assert.Equal("stored", json.GetProperty("finish_reason").GetString());
        Assert.False(json.TryGetProperty("finish_detail", out _));
    }

    private static JsonElement Write(Final image)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            ImageJson.WriteStoredImage(writer, image);
            writer.WriteEndObject();
        }
        return JsonDocument.Parse(Encoding.UTF8.GetString(buffer.ToArray())).RootElement.Clone();
    }
}
