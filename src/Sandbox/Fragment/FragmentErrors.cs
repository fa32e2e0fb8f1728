using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Integration.Sandbox.Fragment;

/// <summary>Fragment's error bodies: <c>{"detail":"..."}</c>, or FastAPI/pydantic-style <c>{"detail":[{"loc":[...],"msg":...,"type":...}]}</c> for 422.</summary>
internal static class FragmentErrors
{
    public static IResult Detail(int status, string message) => Results.Json(new JsonObject { ["detail"] = message }, statusCode: status);

    public static JsonObject Error(string message, string type, params string[] loc) => new()
    {
        ["loc"] = new JsonArray([.. loc.Select(l => JsonValue.Create(l))]),
        ["msg"] = message,
        ["type"] = type,
    };

    public static IResult Validation(IEnumerable<JsonObject> errors) =>
        Results.Json(new JsonObject { ["detail"] = new JsonArray([.. errors]) }, statusCode: StatusCodes.Status422UnprocessableEntity);

    public static IResult InvalidUid() => Validation([Error("value is not a valid uuid", "type_error.uuid", "path", "uid")]);

    public static IResult TitleMissing() => Validation([Error("field required", "value_error.missing", "body", "fields", "title")]);
}
