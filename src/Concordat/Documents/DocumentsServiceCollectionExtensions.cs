using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Concordat.Documents;

public static class DocumentsServiceCollectionExtensions
{
    /// <summary>
    /// Registers document storage, type detection and text extraction, with <see cref="DocumentOptions"/>
    /// bound from the "Concordat:Documents" configuration section and checked at start-up.
    /// </summary>
    public static IServiceCollection AddDocuments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DocumentOptions>()
            .Bind(configuration.GetSection(DocumentOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.BlobRoot), "Concordat:Documents:BlobRoot must be set.")
            .Validate(o => o.MaxUploadBytes > 0 && o.MaxExpandedBytes > 0 && o.MaxZipEntries > 0,
                "Concordat:Documents size and entry limits must be positive.")
            .Validate(o => o.OcrTimeoutSeconds > 0 && o.OcrMaxPages > 0,
                "Concordat:Documents OCR timeout and page limit must be positive.")
            .ValidateOnStart();

        // Concordat:Storage:Provider = filesystem (the default: Concordat:Documents:BlobRoot) or s3 (Concordat:Storage:S3).
        var provider = (configuration["Concordat:Storage:Provider"] ?? "filesystem").Trim().ToLowerInvariant();
        if (provider == "s3")
        {
            var s3 = configuration.GetSection("Concordat:Storage:S3").Get<S3StorageOptions>() ?? new S3StorageOptions();
            services.AddSingleton<IBlobStore>(_ => new S3BlobStore(s3));
        }
        else if (provider == "filesystem")
            services.AddSingleton<IBlobStore, FileSystemBlobStore>(sp => new FileSystemBlobStore(sp.GetRequiredService<IOptions<DocumentOptions>>()));
        else throw new InvalidOperationException($"Concordat:Storage:Provider is '{provider}'. Use 'filesystem' (the default) or 's3'.");
        services.AddSingleton<FileTypeDetector>(sp =>
            new FileTypeDetector(sp.GetRequiredService<IOptions<DocumentOptions>>()));
        services.AddSingleton<TextExtractor>();
        return services;
    }
}
