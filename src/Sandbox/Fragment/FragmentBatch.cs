using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Fragment;

/// <summary>
/// <c>PUT /tasks/batch</c> with <c>{"items":[{"uid":…, task…}, …]}</c>: all or nothing. Every item is checked as a
/// single <c>PUT /tasks/{uid}</c> would check it; any problem (or more than <see cref="SandboxOptions.FragmentMaxBatchItems"/>
/// items) is a 422 for the whole batch naming the items, and nothing is applied. Otherwise every item is upserted in
/// order and the answer lists them. (Fragment's own partial-failure behaviour is unknown; the client assumes none.)
/// </summary>
internal static class FragmentBatch
{
    public static async Task<IResult> PutAsync(HttpRequest request, SandboxTasks tasks, SandboxOptions options, ILoggerFactory loggers)
    {
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        JsonArray? items;
        try
        {
            items = JsonNode.Parse(text)?["items"] as JsonArray;
        }
        catch (JsonException)
        {
            items = null;
        }

        if (items is null)
        {
            return FragmentErrors.Validation([FragmentErrors.Error("field required", "value_error.missing", "body", "items")]);
        }

        if (items.Count > options.FragmentMaxBatchItems)
        {
            return FragmentErrors.Validation([FragmentErrors.Error($"ensure this value has at most {options.FragmentMaxBatchItems} items", "value_error.list.max_items", "body", "items")]);
        }

        var errors = new List<JsonObject>();
        var accepted = new List<(Guid Uid, TaskChanges Changes, string Body)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i] as JsonObject;
            var itemErrors = new List<JsonObject>();
            if (item?["uid"]?.GetValueKind() != JsonValueKind.String || !Guid.TryParseExact(item["uid"]!.GetValue<string>(), "D", out var uid))
            {
                errors.Add(FragmentErrors.Error("value is not a valid uuid", "type_error.uuid", "body", "items", $"{i}", "uid"));
                continue;
            }

            var task = item.DeepClone().AsObject();
            task.Remove("uid");
            var body = task.ToJsonString();
            if (TaskBody.Parse(body, itemErrors) is not { } changes)
            {
                errors.AddRange(itemErrors.Select(e => Prefixed(e, i)));
                continue;
            }

            if (tasks.Get(uid) is null && !changes.HasTitle)
            {
                errors.Add(FragmentErrors.Error("field required", "value_error.missing", "body", "items", $"{i}", "fields", "title"));
                continue;
            }

            accepted.Add((uid, changes, body));
        }

        if (errors.Count > 0)
        {
            return FragmentErrors.Validation(errors);
        }

        var answered = new JsonArray();
        foreach (var (uid, changes, body) in accepted)
        {
            answered.Add(TaskJson.Render(tasks.Upsert(uid, changes, body, out _)!));
        }

        loggers.CreateLogger(FragmentEndpoints.LogCategory).LogInformation("Fragment batch of {Count} tasks upserted", accepted.Count);
        return Results.Json(new JsonObject { ["items"] = answered });
    }

    /// <summary>An item's error with its place in the batch: <c>["body","items","3",…]</c>.</summary>
    private static JsonObject Prefixed(JsonObject error, int index)
    {
        var loc = new JsonArray(JsonValue.Create("body"), JsonValue.Create("items"), JsonValue.Create($"{index}"));
        if (error["loc"] is JsonArray original)
        {
            foreach (var part in original.Skip(1))
            {
                loc.Add(part?.DeepClone());
            }
        }

        return new JsonObject { ["loc"] = loc, ["msg"] = error["msg"]?.DeepClone(), ["type"] = error["type"]?.DeepClone() };
    }
}
