using Concordat.Documents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concordat.Tests.Documents;

public sealed class ServiceRegistrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void AddDocuments_binds_options_and_registers_services()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Concordat:Documents:BlobRoot"] = _dir.File("blobs"),
                ["Concordat:Documents:MaxUploadBytes"] = "1048576",
                ["Concordat:Documents:OcrEnabled"] = "false",
            })
            .Build();

        using var provider = new ServiceCollection().AddDocuments(configuration).BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<DocumentOptions>>().Value;
        Assert.Equal(1048576, options.MaxUploadBytes);
        Assert.False(options.OcrEnabled);
        Assert.Equal(2000, options.MaxZipEntries);
        var store = Assert.IsType<FileSystemBlobStore>(provider.GetRequiredService<IBlobStore>());
        Assert.Equal(_dir.File("blobs"), store.Root);
        Assert.NotNull(provider.GetRequiredService<FileTypeDetector>());
        Assert.NotNull(provider.GetRequiredService<TextExtractor>());
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Concordat:Documents:MaxZipEntries"] = "0" })
            .Build();

        using var provider = new ServiceCollection().AddDocuments(configuration).BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DocumentOptions>>().Value);
    }
}
