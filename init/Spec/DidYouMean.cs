namespace Init.Spec;

/// <summary>Suggests the closest known word for a misspelt key or value.</summary>
internal static class DidYouMean
{
    /// <summary>"; did you mean "x"?" or "" when nothing is close enough.</summary>
    internal static string Hint(string typed, IEnumerable<string> known)
    {
        // Up to a third of the word may be wrong (one typo in a short word), or only the letter case.
        int allowed = Math.Max(1, typed.Length / 3);
        string lower = typed.ToLowerInvariant();
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            // A length apart by more than allowed is too far anyway; skipping it keeps a huge key from
            // costing a table of its length times the candidate's.
            if (Math.Abs(candidate.Length - typed.Length) > allowed)
                continue;
            int distance = Distance(lower, candidate.ToLowerInvariant());
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
        }
        return best is not null && bestDistance <= allowed ? $"; did you mean \"{best}\"?" : "";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
