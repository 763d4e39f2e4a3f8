namespace SupplyOracle.Deploy.Tests.Support;

/// <summary>One instruction of a Dockerfile: its keyword (upper case), its argument text and its build stage.</summary>
public sealed record DockerInstruction(string Keyword, string Arguments, int Stage);

/// <summary>
/// A Dockerfile read as the Dockerfile reference defines its lines: <c>#</c> comments, <c>\</c> line continuations,
/// one instruction per logical line; each <c>FROM</c> starts a stage.
/// </summary>
public sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerInstruction> instructions)
    {
        Path = path;
        Instructions = instructions;
    }

    /// <summary>The file, relative to the repository root.</summary>
    public string Path { get; }

    /// <summary>Every instruction in order.</summary>
    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>The index of the last stage (the image that is shipped).</summary>
    public int FinalStage => Instructions.Max(i => i.Stage);

    /// <summary>Reads and parses a Dockerfile of the repository.</summary>
    public static Dockerfile Load(string relative)
    {
        var instructions = new List<DockerInstruction>();
        var stage = -1;
        var pending = "";
        foreach (var raw in Repo.Read(relative).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var logical = (pending + line).Trim();
            pending = "";
            if (logical.Length == 0)
            {
                continue;
            }
            var space = logical.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? logical : logical[..space]).ToUpperInvariant();
            if (keyword == "FROM")
            {
                stage++;
            }
            instructions.Add(new DockerInstruction(keyword, space < 0 ? "" : logical[(space + 1)..].Trim(), stage));
        }
        return new Dockerfile(relative, instructions);
    }

    /// <summary>The instructions with <paramref name="keyword"/> in <paramref name="stage"/> (default: the final one).</summary>
    public IEnumerable<DockerInstruction> Get(string keyword, int? stage = null) =>
        Instructions.Where(i => i.Keyword == keyword && i.Stage == (stage ?? FinalStage));

    /// <summary>The index of the stage named <paramref name="name"/> (<c>FROM image AS name</c>).</summary>
    public int Stage(string name) => Instructions.Single(i => i.Keyword == "FROM" && StageName(i) == name).Stage;

    /// <summary>The image or stage a stage is built <c>FROM</c>.</summary>
    public string From(int stage) => Instructions.Single(i => i.Keyword == "FROM" && i.Stage == stage).Arguments.Split(' ')[0];

    /// <summary>The default of a global <c>ARG NAME=default</c> (before the first FROM), or null.</summary>
    public string? ArgDefault(string name) => Instructions.Where(i => i.Keyword == "ARG" && i.Stage < 0)
        .Select(i => i.Arguments.Split('=', 2)).Where(p => p[0] == name && p.Length == 2).Select(p => p[1]).SingleOrDefault();

    /// <summary>
    /// The instructions with <paramref name="keyword"/> that apply to <paramref name="stage"/> (default: the final one):
    /// its own and those of the stages it is built FROM, nearest first.
    /// </summary>
    public IReadOnlyList<DockerInstruction> Effective(string keyword, int? stage = null)
    {
        var result = new List<DockerInstruction>();
        for (int? s = stage ?? FinalStage; s is { } current;)
        {
            result.AddRange(Get(keyword, current).Reverse());
            var parent = From(current);
            s = Instructions.FirstOrDefault(i => i.Keyword == "FROM" && StageName(i) == parent)?.Stage;
        }
        return result;
    }

    private static string? StageName(DockerInstruction from)
    {
        var words = from.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
    }

    /// <summary>The JSON (exec) form of an instruction's arguments, e.g. <c>["a", "b"]</c>.</summary>
    public static string[] ExecForm(string arguments)
    {
        var start = arguments.IndexOf('[', StringComparison.Ordinal);
        Assert.True(start >= 0, $"'{arguments}' is not in the exec (JSON array) form");
        return System.Text.Json.JsonSerializer.Deserialize<string[]>(arguments[start..])!;
    }
}
