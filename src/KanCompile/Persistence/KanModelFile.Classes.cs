namespace KanCompile;

internal static partial class KanModelFile
{
    private static string ClassDecisionName(KanClassDecision decision) => decision switch
    {
        KanClassDecision.Softmax => "softmax",
        KanClassDecision.Logistic => "logistic",
        _ => "nearest_index",
    };

    /// <summary>Sets <see cref="KanModel.Classes"/> from the document's <c>classes</c> and <c>class_decision</c> (clears it when absent).</summary>
    private static void ApplyClasses(KanModel model, Persistence.KanModelDocument document, string? path)
    {
        if (document.Classes is null && document.ClassDecision is null)
        {
            model.Classes = null;
            return;
        }

        if (document.Classes is null || document.ClassDecision is null)
        {
            throw new KanModelFileException(path, "\"classes\" and \"class_decision\" come together; the file has only one of them.");
        }

        KanClassDecision decision = document.ClassDecision switch
        {
            "softmax" => KanClassDecision.Softmax,
            "logistic" => KanClassDecision.Logistic,
            "nearest_index" => KanClassDecision.NearestIndex,
            _ => throw new KanModelFileException(path, $"\"class_decision\" is \"{document.ClassDecision}\"; expected \"softmax\", \"logistic\" or \"nearest_index\"."),
        };
        for (int c = 0; c < document.Classes.Length; c++)
        {
            if (string.IsNullOrEmpty(document.Classes[c]))
            {
                throw new KanModelFileException(path, $"\"classes[{c}]\" is empty or null; every class needs a name.");
            }
        }

        try
        {
            model.Classes = new KanClasses(document.Classes!, decision);
        }
        catch (ArgumentException error)
        {
            throw new KanModelFileException(path, $"\"classes\" do not fit the model: {error.Message}", error);
        }
    }
}
