using Stepwise.Hub.Server.Auth;

namespace Stepwise.Hub.Server.Tests;

public sealed class ApiKeySecretTests
{
    [Fact]
    public void A_generated_key_parses_back_to_its_id_and_matches_only_its_own_hash()
    {
        var (id, key) = ApiKeySecret.Generate();
        var (_, other) = ApiKeySecret.Generate();
        Assert.True(ApiKeySecret.TryParseId(key, out var parsed));
        Assert.Equal(id, parsed);
        var hash = ApiKeySecret.Hash(key);
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.True(ApiKeySecret.Matches(key, hash));
        Assert.False(ApiKeySecret.Matches(other, hash));
        Assert.False(ApiKeySecret.Matches(key, "not-hex"));
        Assert.NotEqual(key, other);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("swk_")]
    [InlineData("abc_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("swk_0123456789AB_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("swk_0123456789ab-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("swk_0123456789ab_AAAA")]
    public void Text_not_shaped_like_a_key_has_no_id(string? text)
    {
        Assert.False(ApiKeySecret.TryParseId(text, out var id));
        Assert.Equal(string.Empty, id);
    }
}
