using System.Diagnostics;
using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Integration.Benchmark;

/// <summary>
/// A site list of about the asked size, written straight into the blob (block by block, never whole in memory):
/// ids, names (some non-ASCII), quoted addresses with commas, and notes that sometimes hold a quoted newline or escaped quotes.
/// </summary>
internal static class CsvGenerator
{
    private static readonly string[] Names = ["North Depot", "Harbour Works", "Müllerstraße Yard", "São Paulo Hub", "Riverside Plant", "Kraków Office", "Elm Street Store", "Łódź Warehouse"];
    private static readonly string[] Streets = ["Main St", "High Street", "Station Road", "Rue de la Paix", "Bahnhofstraße", "Avenida Paulista", "Park Lane"];
    private static readonly string[] Cities = ["Springfield", "Zürich", "Lyon", "Porto", "Gdańsk", "Leeds", "Austin"];

    public static async Task<int> UploadAsync(Dictionary<string, string?> settings, long megabytes)
    {
        var target = megabytes * 1024 * 1024;
        var container = new BlobServiceClient(settings["Storage:ConnectionString"]).GetBlobContainerClient(Bench.Container);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlockBlobClient(Bench.BlobName);
        var clock = Stopwatch.StartNew();
        var random = new Random(42);
        long bytes = 0;
        long rows = 0;
        await using (var upload = await blob.OpenWriteAsync(overwrite: true, new BlockBlobOpenWriteOptions { BufferSize = 8 * 1024 * 1024 }))
        {
            var chunk = new MemoryStream(1024 * 1024 + 4096);
            var encoded = new byte[4096];
            var header = "site_id,name,address,city,postcode,notes\n";
            for (var line = header; bytes < target; line = Row(++rows, random))
            {
                var length = Encoding.UTF8.GetBytes(line, encoded);
                chunk.Write(encoded, 0, length);
                bytes += length;
                if (chunk.Length >= 1024 * 1024)
                {
                    await upload.WriteAsync(chunk.GetBuffer().AsMemory(0, (int)chunk.Length));
                    chunk.SetLength(0);
                }
            }

            await upload.WriteAsync(chunk.GetBuffer().AsMemory(0, (int)chunk.Length));
        }

        Console.WriteLine($"Uploaded {Bench.Container}/{Bench.BlobName}: {bytes} bytes, {rows} data rows, in {clock.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    private static string Row(long id, Random random)
    {
        var notes = (id % 50, id % 7) switch
        {
            (0, _) => "\"Gate code " + random.Next(1000, 9999) + "\nAsk for reception\"", // a quoted newline
            (_, 0) => "\"Known locally as \"\"the " + Names[random.Next(Names.Length)] + "\"\"\"",
            _ => "",
        };
        return $"S{id:D9},{Names[random.Next(Names.Length)]} {id % 1000},\"{random.Next(1, 999)} {Streets[random.Next(Streets.Length)]}, Unit {random.Next(1, 99)}\",{Cities[random.Next(Cities.Length)]},{random.Next(10000, 99999)},{notes}\n";
    }
}
