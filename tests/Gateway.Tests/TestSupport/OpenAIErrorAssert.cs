using System.Net;
using System.Text.Json;

namespace Gateway.Tests.TestSupport;

/// <summary>Checks an HTTP answer carries the OpenAI error envelope with all four keys.</summary>
internal static class OpenAIErrorAssert
{
    /// <summary>Asserts the status and envelope shape; returns the <c>error</c> object.</summary>
    public static async Task<JsonElement> EnvelopeAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        return error.Clone();
    }
}
