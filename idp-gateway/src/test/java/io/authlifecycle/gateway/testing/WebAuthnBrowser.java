package io.authlifecycle.gateway.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.UnhandledAlertException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * A user registering a passkey the way users do: headless Chromium signs in on Keycloak's login
 * page and completes the {@code webauthn-register-passwordless} required action, answered by a
 * virtual authenticator (CTAP2, resident key, user verification on). WebAuthn needs a secure
 * context and a domain as RP id, so the browser talks to Keycloak as {@code localhost}.
 */
public final class WebAuthnBrowser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final VirtualAuthenticator authenticator;

  /** Why the browser cannot run here (Debian's chromium and chromium-driver packages missing), or empty. */
  public static Optional<String> unavailableReason() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER) ? Optional.empty()
        : Optional.of("no " + CHROMIUM + " or " + CHROMEDRIVER + " (apt-get install -y chromium chromium-driver)");
  }

  public WebAuthnBrowser() {
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");
    // The driver is Debian's; Selenium must not look for (or download) another.
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
    authenticator = ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
        .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
        .setTransport(VirtualAuthenticatorOptions.Transport.USB)
        .setHasResidentKey(true).setHasUserVerification(true).setIsUserVerified(true).setIsUserConsenting(true));
  }

  /**
   * Signs in with the password at {@code keycloakPort} and registers a passkey on the required
   * action page; returns once Keycloak has redirected away from its pages.
   */
  public void registerPasskey(int keycloakPort, String realm, String client, String username, String password)
      throws InterruptedException {
    registerPasskey(keycloakPort, realm, client, username, password, null, false);
  }

  /**
   * As {@link #registerPasskey(int, String, String, String, String)} for a user who may already
   * have an OTP app ({@code otpSecret}, else null: the login then asks for its next code). With
   * {@code askedByApplication} the registration is asked for by the application ({@code kc_action}),
   * as the account console's "set up a passkey" does, rather than by a required action.
   */
  public void registerPasskey(int keycloakPort, String realm, String client, String username, String password,
      String otpSecret, boolean askedByApplication) throws InterruptedException {
    String base = "http://localhost:" + keycloakPort;
    driver.get(base + "/realms/" + realm + "/protocol/openid-connect/auth?response_type=code&scope=openid&client_id="
        + client + "&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback"
        + (askedByApplication ? "&kc_action=webauthn-register-passwordless" : ""));
    driver.findElement(By.id("username")).sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(password);
    driver.findElement(By.id("kc-login")).click();
    if (otpSecret != null) {
      try {
        // The next period's code: the current one may have been used to set the app up.
        driver.findElement(By.id("otp")).sendKeys(KeycloakRealm.totp(otpSecret, 1));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      driver.findElement(By.id("kc-login")).click();
    }
    driver.findElement(By.id("registerWebAuthn")).click();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (onKeycloak(base) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    if (onKeycloak(base)) {
      throw new IllegalStateException("passkey registration of " + username + " did not finish; page: " + page());
    }
  }

  private String page() {
    try {
      return driver.getCurrentUrl() + "\n" + driver.getPageSource();
    } catch (WebDriverException e) {
      return "(the browser does not answer: " + e.getMessage().lines().findFirst().orElse("") + ")";
    }
  }

  /** Credentials the virtual authenticator holds. */
  public int credentials() {
    return authenticator.getCredentials().size();
  }

  /** Whether the browser is still on Keycloak's pages (answering the label prompt if one is open). */
  private boolean onKeycloak(String base) {
    answerLabelPrompt();
    try {
      return driver.getCurrentUrl().startsWith(base);
    } catch (UnhandledAlertException e) {
      return true;
    } catch (WebDriverException e) {
      // Mid-redirect (to a callback nothing listens on) the renderer may miss one answer: still there, ask again.
      return true;
    }
  }

  /** Keycloak asks for the passkey's label in a prompt. */
  private void answerLabelPrompt() {
    try {
      Alert alert = driver.switchTo().alert();
      alert.sendKeys("security key");
      alert.accept();
    } catch (NoAlertPresentException e) {
      // none asked
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
