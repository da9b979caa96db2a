using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Pipeline.Providers.Tests;

public sealed class ProviderErrorsTests
{
    [Theory]
    [InlineData(400, ProviderFailureKind.InvalidRequest)]
    [InlineData(401, ProviderFailureKind.Unauthenticated)]
    [InlineData(402, ProviderFailureKind.QuotaExceeded)]
    [InlineData(403, ProviderFailureKind.PermissionDenied)]
    [InlineData(404, ProviderFailureKind.NotFound)]
    [InlineData(408, ProviderFailureKind.Timeout)]
    [InlineData(413, ProviderFailureKind.InvalidRequest)]
    [InlineData(422, ProviderFailureKind.InvalidRequest)]
    [InlineData(429, ProviderFailureKind.RateLimited)]
    [InlineData(500, ProviderFailureKind.Unavailable)]
    [InlineData(502, ProviderFailureKind.Unavailable)]
    [InlineData(503, ProviderFailureKind.Unavailable)]
    [InlineData(504, ProviderFailureKind.Timeout)]
    [InlineData(524, ProviderFailureKind.Timeout)]
    [InlineData(529, ProviderFailureKind.Unavailable)]
    public void FromHttp_EveryStatus_MapsToItsKind(int status, ProviderFailureKind expected)
    {
        var error = ProviderErrors.FromHttp(status, """{"error":{"message":"m","type":"t","param":null,"code":null}}""", null, "req_1");

        Assert.Equal(expected, error.Kind);
        Assert.Equal(status, error.HttpStatus);
        Assert.Equal("req_1", error.ProviderRequestId);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(402, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    public void FromHttp_Status_RetryableOnlyForTransientFailures(int status, bool retryable) =>
        Assert.Equal(retryable, ProviderErrors.FromHttp(status, null, null, null).IsRetryable);

    [Fact]
    public void FromHttp_OpenAIInvalidKey_UnauthenticatedWithCodeAndMessage()
    {
        var error = ProviderErrors.FromHttp(401,
            """{"error":{"message":"Incorrect API key provided: sk-ab***cdef.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""", null, null);

        Assert.Equal(ProviderFailureKind.Unauthenticated, error.Kind);
        Assert.Equal("invalid_api_key", error.ProviderCode);
        Assert.Equal("The provider answered HTTP 401: Incorrect API key provided: sk-ab***cdef.", error.Message);
    }

    [Fact]
    public void FromHttp_OpenAIModerationBlocked_ContentPolicyNeverRetried()
    {
        var error = ProviderErrors.FromHttp(400,
            """{"error":{"message":"Your request was rejected by the safety system.","type":"image_generation_user_error","param":null,"code":"moderation_blocked","moderation_details":{"moderation_stage":"input","categories":["violence"]}}}""",
            null, "req_9");

        Assert.Equal(ProviderFailureKind.ContentPolicy, error.Kind);
        Assert.Equal("moderation_blocked", error.ProviderCode);
        Assert.False(error.IsRetryable);
        Assert.Contains("safety system", error.Message);
    }

    [Fact]
    public void FromHttp_DallEContentPolicyViolation_ContentPolicy()
    {
        var error = ProviderErrors.FromHttp(400,
            """{"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","param":null,"code":"content_policy_violation"}}""", null, null);

        Assert.Equal((ProviderFailureKind.ContentPolicy, "content_policy_violation"), (error.Kind, error.ProviderCode));
    }

    [Fact]
    public void FromHttp_OpenAIInvalidValue_InvalidRequestNamingTheParam()
    {
        var error = ProviderErrors.FromHttp(400,
            """{"error":{"message":"Invalid value: '999x1'.","type":"invalid_request_error","param":"size","code":"invalid_value"}}""", null, null);

        Assert.Equal(ProviderFailureKind.InvalidRequest, error.Kind);
        Assert.Equal("size", error.Param);
        Assert.Contains("(param 'size')", error.Message);
    }

    [Fact]
    public void FromHttp_OpenAIInsufficientQuota_QuotaExceededNotRetryable()
    {
        var error = ProviderErrors.FromHttp(429,
            """{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""", TimeSpan.FromSeconds(1), null);

        Assert.Equal((ProviderFailureKind.QuotaExceeded, "insufficient_quota"), (error.Kind, error.ProviderCode));
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void FromHttp_OpenAIRateLimit_RateLimitedWithRetryAfter()
    {
        var error = ProviderErrors.FromHttp(429,
            """{"error":{"message":"Rate limit reached.","type":"requests","param":null,"code":"rate_limit_exceeded"}}""", TimeSpan.FromSeconds(2), null);

        Assert.Equal((ProviderFailureKind.RateLimited, "rate_limit_exceeded", TimeSpan.FromSeconds(2)), (error.Kind, error.ProviderCode, error.RetryAfter));
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public void FromHttp_OpenRouterModeration_ContentPolicyWithReasons()
    {
        var error = ProviderErrors.FromHttp(403,
            """{"error":{"code":403,"message":"google/gemini-2.5-flash-image requires moderation on Google AI Studio.","metadata":{"reasons":["violence","hate"],"flagged_input":"a violent...","provider_name":"Google AI Studio","model_slug":"google/gemini-2.5-flash-image"}}}""",
            null, "gen-1");

        Assert.Equal(ProviderFailureKind.ContentPolicy, error.Kind);
        Assert.Equal("content_policy", error.ProviderCode);
        Assert.Contains("reasons: violence, hate", error.Message);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void FromHttp_OpenRouterForbiddenWithoutModeration_PermissionDenied()
    {
        var error = ProviderErrors.FromHttp(403, """{"error":{"code":403,"message":"Key is disabled."}}""", null, null);

        Assert.Equal(ProviderFailureKind.PermissionDenied, error.Kind);
    }

    [Fact]
    public void FromHttp_OpenRouterNoCredits_QuotaExceeded()
    {
        var error = ProviderErrors.FromHttp(402, """{"error":{"code":402,"message":"Insufficient credits."}}""", null, null);

        Assert.Equal((ProviderFailureKind.QuotaExceeded, "insufficient_quota"), (error.Kind, error.ProviderCode));
    }

    [Fact]
    public void FromHttp_OpenRouterProviderError_UnavailableWithErrorTypeAsCode()
    {
        var error = ProviderErrors.FromHttp(502,
            """{"error":{"code":502,"message":"Provider returned error","metadata":{"provider_name":"Google AI Studio","error_type":"provider_unavailable"}}}""", null, null);

        Assert.Equal((ProviderFailureKind.Unavailable, "provider_unavailable"), (error.Kind, error.ProviderCode));
    }

    [Fact]
    public void FromHttp_OpenRouterProviderContentPolicy_ContentPolicyFromErrorType()
    {
        var error = ProviderErrors.FromHttp(400,
            """{"error":{"code":400,"message":"Blocked","metadata":{"error_type":"content_policy_violation","provider_code":"SAFETY"}}}""", null, null);

        Assert.Equal((ProviderFailureKind.ContentPolicy, "SAFETY"), (error.Kind, error.ProviderCode));
    }

    [Fact]
    public void FromHttp_FlatJsonBody_ReadsMessageAndCode()
    {
        var error = ProviderErrors.FromHttp(429, """{"message":"Too many requests","code":"rate_limit_exceeded"}""", null, null);

        Assert.Equal((ProviderFailureKind.RateLimited, "rate_limit_exceeded"), (error.Kind, error.ProviderCode));
        Assert.EndsWith("Too many requests", error.Message);
    }

    [Fact]
    public void FromHttp_HtmlBody_UnavailableNamingThePageTitleWithoutMarkup()
    {
        var error = ProviderErrors.FromHttp(502,
            "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>", null, null);

        Assert.Equal(ProviderFailureKind.Unavailable, error.Kind);
        Assert.Contains("an HTML page titled '502 Bad Gateway'", error.Message);
        Assert.DoesNotContain("<", error.Message);
    }

    [Fact]
    public void FromHttp_EmptyBody_SaysSo()
    {
        var error = ProviderErrors.FromHttp(503, "", null, null);

        Assert.Equal("The provider answered HTTP 503: ServiceUnavailable (empty body)", error.Message);
    }

    [Fact]
    public void FromHttp_PlainTextBodyWithAPayload_KeepsThePayloadOut()
    {
        var payload = Convert.ToBase64String(new byte[600]);

        var error = ProviderErrors.FromHttp(500, "upstream said " + payload, null, null);

        Assert.DoesNotContain(payload[..100], error.Message);
        Assert.Contains("upstream said", error.Message);
    }

    [Fact]
    public async Task FromResponseAsync_ReadsBodyRetryAfterAndRequestId()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            Content = new StringContent("""{"error":{"code":429,"message":"Rate limit exceeded","metadata":{"error_type":"rate_limit_exceeded"}}}""", Encoding.UTF8, "application/json"),
        };
        response.Headers.Add("Retry-After", "4");
        response.Headers.Add("X-Generation-Id", "gen-42");

        var error = await ProviderErrors.FromResponseAsync(response, CancellationToken.None);

        Assert.Equal((ProviderFailureKind.RateLimited, TimeSpan.FromSeconds(4), "gen-42", "rate_limit_exceeded"),
            (error.Kind, error.RetryAfter, error.ProviderRequestId, error.ProviderCode));
    }

    [Fact]
    public void ReadRetryAfter_Milliseconds_WinOverSeconds()
    {
        using var response = new HttpResponseMessage();
        response.Headers.Add("retry-after-ms", "1500");
        response.Headers.Add("retry-after", "2");

        Assert.Equal(TimeSpan.FromMilliseconds(1500), ProviderErrors.ReadRetryAfter(response.Headers));
    }

    [Fact]
    public void ReadRetryAfter_Seconds()
    {
        using var response = new HttpResponseMessage();
        response.Headers.Add("retry-after", "7");

        Assert.Equal(TimeSpan.FromSeconds(7), ProviderErrors.ReadRetryAfter(response.Headers));
    }

    [Fact]
    public void ReadRetryAfter_HttpDate_TheTimeUntilThen()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("retry-after", DateTimeOffset.UtcNow.AddSeconds(30).ToString("r", CultureInfo.InvariantCulture));

        var delay = ProviderErrors.ReadRetryAfter(response.Headers);

        Assert.NotNull(delay);
        Assert.InRange(delay.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public void ReadRetryAfter_HttpDateInThePast_Zero()
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT");

        Assert.Equal(TimeSpan.Zero, ProviderErrors.ReadRetryAfter(response.Headers));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData("-3")]
    public void ReadRetryAfter_MissingOrUnreadable_Null(string? value)
    {
        using var response = new HttpResponseMessage();
        if (value is not null)
        {
            response.Headers.TryAddWithoutValidation("retry-after", value);
        }

        Assert.Null(ProviderErrors.ReadRetryAfter(response.Headers));
    }

    [Fact]
    public void FromStreamError_OpenAIFlatErrorEvent_ReadsCode()
    {
        var error = ProviderErrors.FromStreamError(Json("""{"type":"error","code":"rate_limit_exceeded","message":"Slow down","param":null,"sequence_number":3}"""), "req_1");

        Assert.Equal((ProviderFailureKind.RateLimited, "rate_limit_exceeded", "req_1"), (error.Kind, error.ProviderCode, error.ProviderRequestId));
        Assert.Contains("Slow down", error.Message);
    }

    [Fact]
    public void FromStreamError_OpenAINestedErrorEvent_ReadsTheInnerError()
    {
        var error = ProviderErrors.FromStreamError(
            Json("""{"type":"error","sequence_number":2,"error":{"type":"too_many_requests","code":"too_many_requests","message":"Too Many Requests","param":null}}"""), null);

        Assert.Equal((ProviderFailureKind.RateLimited, "too_many_requests"), (error.Kind, error.ProviderCode));
        Assert.True(error.IsRetryable);
    }

    [Fact]
    public void FromStreamError_ResponseFailedWithServerError_Unavailable()
    {
        var error = ProviderErrors.FromStreamError(
            Json("""{"type":"response.failed","sequence_number":9,"response":{"status":"failed","error":{"code":"server_error","message":"The model failed"}}}"""), null);

        Assert.Equal((ProviderFailureKind.Unavailable, "server_error"), (error.Kind, error.ProviderCode));
    }

    [Fact]
    public void FromStreamError_ResponseFailedWithModeration_ContentPolicy()
    {
        var error = ProviderErrors.FromStreamError(
            Json("""{"type":"response.failed","response":{"error":{"code":"moderation_blocked","message":"Rejected by the safety system"}}}"""), null);

        Assert.Equal(ProviderFailureKind.ContentPolicy, error.Kind);
    }

    [Fact]
    public void FromStreamError_OpenRouterChunkError_UnavailableWithStatusAndErrorType()
    {
        var error = ProviderErrors.FromStreamError(
            Json("""{"code":502,"message":"Provider disconnected","metadata":{"error_type":"provider_unavailable"}}"""), "gen-7");

        Assert.Equal((ProviderFailureKind.Unavailable, 502, "provider_unavailable"), (error.Kind, error.HttpStatus, error.ProviderCode));
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
