using Stepwise.Dvc.Formatting;

namespace Stepwise.Dvc.Tests.Formatting;

public sealed class PyJsonTests
{
    [Fact]
    public void Indented_output_matches_python_json_dump_with_indent_4()
    {
        var value = new OrderedDictionary<string, object?>
        {
            ["a"] = 1L,
            ["b"] = new OrderedDictionary<string, object?> { ["c"] = 0.5, ["empty"] = new OrderedDictionary<string, object?>() },
            ["list"] = new List<object?> { 1, "x", null, true },
            ["none"] = new List<object?>(),
        };
        Assert.Equal(
            "{\n    \"a\": 1,\n    \"b\": {\n        \"c\": 0.5,\n        \"empty\": {}\n    },\n    \"list\": [\n        1,\n        \"x\",\n        null,\n        true\n    ],\n    \"none\": []\n}",
            PyJson.Serialize(value));
    }

    [Fact]
    public void Compact_output_uses_python_default_separators()
    {
        var value = new OrderedDictionary<string, object?> { ["b"] = 2, ["a"] = new List<object?> { 1.0, double.NaN, double.NegativeInfinity } };
        Assert.Equal("{\"b\": 2, \"a\": [1.0, NaN, -Infinity]}", PyJson.Serialize(value, indent: null));
        Assert.Equal("{\"a\": [1.0, NaN, -Infinity], \"b\": 2}", PyJson.Serialize(value, indent: null, sortKeys: true));
    }

    [Fact]
    public void Strings_are_ascii_with_lowercase_unicode_escapes()
    {
        Assert.Equal("\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ / \\n\\t\\u007f <>&'\"", PyJson.Serialize("café 😀 \"q\" \\ / \n\t\u007f <>&'"));
    }
}
