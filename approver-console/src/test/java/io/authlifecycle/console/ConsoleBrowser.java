package io.authlifecycle.console;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * One person at the console: headless Chromium with its own virtual authenticator (CTAP2, resident
 * keys, user verification on), so each browser holds only its person's passkey.
 */
final class ConsoleBrowser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  final ChromeDriver driver;
  private final String base;

  static Optional<String> unavailableReason() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER) ? Optional.empty()
        : Optional.of("no " + CHROMIUM + " or " + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver)");
  }

  ConsoleBrowser(String base) {
    this.base = base;
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
        .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2).setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
        .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
  }

  void open(String path) {
    driver.get(base + path);
  }

  WebElement waitFor(By by) {
    return until(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null), Duration.ofSeconds(20));
  }

  /** Follows an enrollment link and creates the passkey; returns the person.keys line the console prints. */
  String enroll(String link) {
    driver.get(link);
    waitFor(By.id("enroll")).click();
    until(d -> d.findElement(By.id("entry")).getText().isBlank() ? null : true, Duration.ofSeconds(20));
    return driver.findElement(By.id("entry")).getText().strip();
  }

  void signIn() {
    open("/signin");
    waitFor(By.id("signin")).click();
    until(d -> d.getCurrentUrl().contains("/requests") ? true : null, Duration.ofSeconds(20));
  }

  /** Reloads the waiting list until the request's row is there. */
  WebElement waitForRow(String requestId) {
    return until(d -> {
      d.navigate().to(base + "/requests");
      var rows = d.findElements(By.cssSelector("tr[data-request='" + requestId + "']"));
      return rows.isEmpty() ? null : rows.get(0);
    }, Duration.ofSeconds(30));
  }

  /** Polls {@code probe} until it returns non-null; fails with the page's text when time runs out. */
  <T> T until(Function<WebDriver, T> probe, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        T value = probe.apply(driver);
        if (value != null) {
          return value;
        }
      } catch (WebDriverException e) {
        // not there yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out on " + driver.getCurrentUrl() + ":\n" + driver.findElement(By.tagName("body")).getText());
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Runs an async function of the page's script: {@code body} gets {@code done} and the arguments as {@code args}. */
  @SuppressWarnings("unchecked")
  Map<String, Object> call(String body, Object... args) {
    Object out = driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);"
        // The page's deferred script may still be on its way when the page counts as loaded.
        + "(async () => { for (let i = 0; i < 100 && !window.approverConsole; i++) await new Promise(r => setTimeout(r, 50));"
        + " if (!window.approverConsole) throw new Error('console.js did not load: ' + JSON.stringify("
        + "performance.getEntriesByType('resource').map(e => [e.name, e.responseStatus, e.duration])));"
        + body + " })().then(r => done({ok: true, value: r}), e => done({ok: false, error: String(e.message)}));",
        args);
    return (Map<String, Object>) out;
  }

  String cookie() {
    return driver.manage().getCookieNamed(ConsoleServer.COOKIE).getValue();
  }

  void screenshot(Path to) throws java.io.IOException {
    Files.createDirectories(to.getParent());
    Files.write(to, driver.getScreenshotAs(OutputType.BYTES));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
