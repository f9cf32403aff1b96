using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Security;

internal sealed class PhiOptionsTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder("phi");

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [TestCase("", "Phi:Key is not set")]
    [TestCase("not base64!", "Phi:Key must be the base64 encoding of exactly 32 bytes.")]
    [TestCase("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxw=", "Phi:Key must be the base64 encoding of exactly 32 bytes.")] // 29 bytes
    public void A_missing_or_malformed_key_is_refused_in_one_sentence(string key, string expected)
    {
        var result = new PhiOptionsCustomValidator().Validate(null, new PhiOptions { Key = key });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures!.Single(), Does.StartWith(expected));
    }

    [Test]
    public void A_32_byte_key_is_accepted()
    {
        Assert.That(new PhiOptionsCustomValidator().Validate(null, new PhiOptions { Key = TestHostSettings.PhiKey }).Succeeded, Is.True);
    }

    [Test]
    public void Development_generates_a_private_key_file_once_and_reuses_it()
    {
        var log = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(log));
        var provisioner = new PhiKeyProvisioner(new TestEnvironment(Environments.Development), new DataDirectory(_folder.Path), factory.CreateLogger<PhiKeyProvisioner>());

        var first = new PhiOptions();
        provisioner.PostConfigure(null, first);
        var second = new PhiOptions();
        provisioner.PostConfigure(null, second);

        var file = _folder.Combine(PhiKeyProvisioner.FileName);
        Assert.That(PhiOptionsCustomValidator.IsValidKey(first.Key), Is.True);
        Assert.That(second.Key, Is.EqualTo(first.Key));
        Assert.That(File.ReadAllText(file), Is.EqualTo(first.Key));
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        Assert.That(log.Entries.Count(e => e.Message.Contains("generated", StringComparison.Ordinal)), Is.EqualTo(1));
        Assert.That(log.Entries.Any(e => e.Message.Contains(first.Key!, StringComparison.Ordinal)), Is.False, "the key itself is never logged");
    }

    [Test]
    public void Production_never_generates_a_key()
    {
        var provisioner = new PhiKeyProvisioner(new TestEnvironment(Environments.Production), new DataDirectory(_folder.Path), Microsoft.Extensions.Logging.Abstractions.NullLogger<PhiKeyProvisioner>.Instance);
        var options = new PhiOptions();

        provisioner.PostConfigure(null, options);

        Assert.That(options.Key, Is.Null);
        Assert.That(Directory.GetFiles(_folder.Path), Is.Empty);
    }

    [Test]
    public void A_production_host_without_a_key_refuses_to_start()
    {
        using var app = new ServiceApplication(new Dictionary<string, string?> { ["Phi:Key"] = "" });
        app.Settings.Environment = Environments.Production;

        var failure = Assert.Catch(() => _ = app.Services.GetRequiredService<IOptions<PhiOptions>>().Value);

        var validation = failure as OptionsValidationException ?? failure?.InnerException as OptionsValidationException
            ?? (failure as AggregateException)?.InnerExceptions.OfType<OptionsValidationException>().FirstOrDefault();
        Assert.That(validation, Is.Not.Null, failure?.ToString());
        Assert.That(validation!.Failures, Has.Some.StartsWith("Phi:Key is not set"));
    }

    private sealed class TestEnvironment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "CoverageCheck.Service";
        public string ContentRootPath { get; set; } = Directory.GetCurrentDirectory();
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
