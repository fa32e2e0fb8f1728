namespace Integration.Operations.Api;

/// <summary>What an ops call answers: a status code and its JSON (<see cref="OpsJson"/>, the shape the CLI prints).</summary>
public sealed record OpsApiAnswer(int Status, string Json)
{
    public static OpsApiAnswer Ok<T>(T value) => new(200, OpsJson.Serialize(value));

    /// <summary>An answer <c>{"error": problem}</c>; a 400's problem names the parameter.</summary>
    public static OpsApiAnswer Error(int status, string problem) => new(status, OpsJson.Serialize(new { error = problem }));

    public static OpsApiAnswer BadRequest(string problem) => Error(400, problem);
}
