namespace Integration.Imports.Csv;

/// <summary>Splits one record's text into fields, honouring quotes (<c>""</c> inside quotes is a literal quote).</summary>
internal static class CsvFields
{
    /// <param name="bareCarriageReturn">A <c>\r</c> appeared outside quotes: the file probably uses CR-only line breaks.</param>
    public static List<string> Split(string record, out bool bareCarriageReturn)
    {
        bareCarriageReturn = false;
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < record.Length; i++)
        {
            var c = record[i];
            if (c == '"')
            {
                if (quoted && i + 1 < record.Length && record[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = !quoted;
                }
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                bareCarriageReturn |= c == '\r' && !quoted;
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
