#include "redact/SecretRedactor.h"

#include <QtTest>

using namespace codeworm;

namespace {

// Built from pieces so that no scanner mistakes this test for a leak.
QString joined(std::initializer_list<const char *> parts)
{
    QString text;
    for (const char *part : parts) {
        text += QLatin1String(part);
    }
    return text;
}

} // namespace

class TestSecretRedactor : public QObject
{
    Q_OBJECT

private slots:
    void secretsAreReplacedByTheirKind_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("secret"); // must be gone
        QTest::addColumn<QString>("kind");

        const QString rsaBody =
            QStringLiteral("MIIEowIBAAKCAQEA7bq2Xnq0Yt9pZb\nq3ZkR2Tg8fN1uJw==\n");
        QTest::newRow("rsa private key block")
            << joined({"key = \"\"\"-----BEGIN RSA ", "PRIVATE KEY-----\n"}) + rsaBody +
                   joined({"-----END RSA ", "PRIVATE KEY-----\"\"\"\n"})
            << QString() << QStringLiteral("MIIEowIBAAKCAQEA7bq2Xnq0Yt9pZb")
            << QStringLiteral("private-key");
        QTest::newRow("openssh private key cut by the source limit")
            << joined({"-----BEGIN OPENSSH ", "PRIVATE KEY-----\n", "b3BlbnNzaC1rZXktdjEAAAAA\n"})
            << QString() << QStringLiteral("b3BlbnNzaC1rZXktdjEAAAAA")
            << QStringLiteral("private-key");
        QTest::newRow("pgp private key block")
            << joined({"-----BEGIN PGP ", "PRIVATE KEY BLOCK-----\nlQOYBGN2x\n-----END PGP ",
                       "PRIVATE KEY BLOCK-----\n"})
            << QString() << QStringLiteral("lQOYBGN2x") << QStringLiteral("private-key");
        QTest::newRow("aws access key id")
            << joined({"client = boto3.client('s3', aws_access_key_id='AKIA", "Q3EGRIVFKX2M7ZPD')"})
            << QString() << joined({"AKIA", "Q3EGRIVFKX2M7ZPD"})
            << QStringLiteral("aws-access-key");
        QTest::newRow("aws secret access key")
            << joined(
                   {"aws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCY", "EXAMPLEKEZ\"\n"})
                   .replace(QLatin1String("EXAMPLE"), QLatin1String("Q1x9ab7"))
            << QString() << QStringLiteral("wJalrXUtnFEMI/K7MDENG")
            << QStringLiteral("aws-secret-key");
        QTest::newRow("gcp api key")
            << joined(
                   {"const maps = new Maps({key: 'AIza", "SyD8r3mK2x9Q0bXvLw7T4pZcN5hJ6uYgFqE'});"})
            << QString() << joined({"AIza", "SyD8r3mK2x9Q0bXvLw7T4pZcN5hJ6uYgFqE"})
            << QStringLiteral("gcp-api-key");
        QTest::newRow("gcp oauth client secret")
            << joined({"CLIENT = {\"web\": {\"client_secret\": \"GOCSPX-",
                       "3kP9xQ2mZr7LwT5vB8nY1cH4jD6f\"}}"})
            << QString() << QStringLiteral("3kP9xQ2mZr7LwT5vB8nY1cH4jD6f")
            << QStringLiteral("gcp-oauth-secret");
        QTest::newRow("azure storage connection string")
            << joined({"conn = \"DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=",
                       "p3Q9xZ2mK7wL5vB8nY1cH4jD6fR0tS2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2oP4qR6sT8uV0wX"
                       "2yZ4aB6cD8e==;",
                       "EndpointSuffix=core.windows.net\""})
            << QString() << QStringLiteral("p3Q9xZ2mK7wL5vB8nY1cH4jD6fR0tS2uV4")
            << QStringLiteral("azure-storage-key");
        QTest::newRow("azure sas signature")
            << joined({"url = 'https://shop.blob.core.windows.net/c/f?sv=2022-11-02&sig=",
                       "k3P9xQ2mZr7LwT5vB8nY1cH4jD6fR0tS%2BuV4wX6y%3D'"})
            << QString() << QStringLiteral("k3P9xQ2mZr7LwT5vB8nY1cH4jD6fR0tS")
            << QStringLiteral("azure-sas-signature");
        QTest::newRow("github token")
            << joined({"headers = {'X-Token': 'ghp_", "R8kD2mQ9xL7vT5wB3nY1cH4jZ6fP0sA2uE4g'}"})
            << QString() << joined({"ghp_", "R8kD2mQ9xL7vT5wB3nY1cH4jZ6fP0sA2uE4g"})
            << QStringLiteral("github-token");
        QTest::newRow("github fine-grained token")
            << joined(
                   {"GH = \"github_pat_", "11ABCDE2Q0kP9xQ2mZr7Lw_"
                                          "T5vB8nY1cH4jD6fR0tS2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2oP\""})
            << QString() << QStringLiteral("11ABCDE2Q0kP9xQ2mZr7Lw")
            << QStringLiteral("github-token");
        QTest::newRow("gitlab token")
            << joined({"gl = Gitlab(url, private_token='glpat-", "x7Kq2Pz9LmR4vT8wN3bY')"})
            << QString() << QStringLiteral("x7Kq2Pz9LmR4vT8wN3bY")
            << QStringLiteral("gitlab-token");
        QTest::newRow("slack bot token")
            << joined({"slack = WebClient(token=\"xoxb-", "2048-39121-Kq2Pz9LmR4vT8wN3bY\")"})
            << QString() << QStringLiteral("Kq2Pz9LmR4vT8wN3bY") << QStringLiteral("slack-token");
        QTest::newRow("slack webhook")
            << joined({"HOOK = 'https://hooks.slack",
                       ".com/services/T024BE7LD/B05QZ1M2X/k3P9xQ2mZr7LwT5v'"})
            << QString() << QStringLiteral("B05QZ1M2X/k3P9xQ2mZr7LwT5v")
            << QStringLiteral("slack-webhook");
        QTest::newRow("stripe secret key")
            << joined({"stripe.api_key = \"sk_live_", "51Hq2Pz9LmR4vT8wN3bYcD6f\""}) << QString()
            << QStringLiteral("51Hq2Pz9LmR4vT8wN3bYcD6f") << QStringLiteral("stripe-key");
        QTest::newRow("stripe webhook secret")
            << joined({"endpoint_secret = 'whsec_", "Kq2Pz9LmR4vT8wN3bYcD6fR0tS'"}) << QString()
            << QStringLiteral("Kq2Pz9LmR4vT8wN3bYcD6fR0tS") << QStringLiteral("stripe-key");
        QTest::newRow("openai-style key")
            << joined({"client = OpenAI(api_key=\"sk-", "proj-Kq2Pz9LmR4vT8wN3bYcD6fR0tS2uV4wX\")"})
            << QString() << QStringLiteral("Kq2Pz9LmR4vT8wN3bYcD6fR0tS2uV4wX")
            << QStringLiteral("openai-key");
        QTest::newRow("npm token")
            << joined({"//registry/:_authToken=npm_", "Kq2Pz9LmR4vT8wN3bYcD6fR0tS2uV4wX6yZ8"})
            << QStringLiteral(".npmrc") << QStringLiteral("Kq2Pz9LmR4vT8wN3bYcD6fR0tS2uV4wX6yZ8")
            << QStringLiteral("npm-token");
        QTest::newRow("pypi token")
            << joined({"password = pypi-AgEIcHlwaS5vcmc",
                       "CJGQ2Pz9LmR4vT8wN3bYcD6fR0tS2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2"})
            << QStringLiteral(".pypirc")
            << QStringLiteral("CJGQ2Pz9LmR4vT8wN3bYcD6fR0tS2uV4wX6yZ8aB0cD2eF4gH6i")
            << QStringLiteral("pypi-token");
        QTest::newRow("sendgrid key")
            << joined({"SENDGRID = 'SG.",
                       "Kq2Pz9LmR4vT8wN3bYcD6f.R0tS2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2oP4qR6sT'"})
            << QString() << QStringLiteral("R0tS2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2oP4qR6sT")
            << QStringLiteral("sendgrid-key");
        QTest::newRow("hugging face token")
            << joined({"login(token='hf_", "KqPzLmRvTwNbYcDfRtSuVwXyZaBcDeFgHi')"}) << QString()
            << QStringLiteral("KqPzLmRvTwNbYcDfRtSuVwXyZaBcDeFgHi")
            << QStringLiteral("huggingface-token");
        QTest::newRow("jwt")
            << joined(
                   {"token := \"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.",
                    "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U\""})
            << QString() << QStringLiteral("dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
            << QStringLiteral("jwt");
        QTest::newRow("bearer header")
            << joined({"curl -H 'Authorization: Bearer ", "k3P9xQ2mZr7LwT5vB8nY1cH4jD6f'"})
            << QString() << QStringLiteral("k3P9xQ2mZr7LwT5vB8nY1cH4jD6f")
            << QStringLiteral("authorization-header");
        QTest::newRow("password in a database url")
            << QStringLiteral(
                   "engine = create_engine('postgresql://shop:Tr0ub4dor&3@db.local/shop')")
            << QString() << QStringLiteral("Tr0ub4dor&3")
            << QStringLiteral("connection-string-password");
        QTest::newRow("password in an ado connection string")
            << QStringLiteral(
                   "var cs = \"Server=db;Database=shop;User Id=sa;Password=Tr0ub4dor3x;\";")
            << QString() << QStringLiteral("Tr0ub4dor3x")
            << QStringLiteral("password-in-connection-string");
        QTest::newRow("python password assignment")
            << QStringLiteral("DB_PASSWORD = \"correct-h0rse-battery\"\n") << QString()
            << QStringLiteral("correct-h0rse-battery") << QStringLiteral("secret-assignment");
        QTest::newRow("json secret")
            << QStringLiteral("{\"client_secret\": \"q8Zr2Lp5Tx9Wm3Kd7Vb1\"}") << QString()
            << QStringLiteral("q8Zr2Lp5Tx9Wm3Kd7Vb1") << QStringLiteral("secret-assignment");
        QTest::newRow("java password field")
            << QStringLiteral("private static final String PASSWORD = \"s3cr3t-Pa55\";")
            << QString() << QStringLiteral("s3cr3t-Pa55") << QStringLiteral("secret-assignment");
        QTest::newRow("go comparison with a literal")
            << QStringLiteral("if password == \"letmein2024\" {") << QString()
            << QStringLiteral("letmein2024") << QStringLiteral("secret-assignment");
        QTest::newRow("yaml unquoted password")
            << QStringLiteral("database:\n  password: Zx81!spectrum\n")
            << QStringLiteral("config.yaml") << QStringLiteral("Zx81!spectrum")
            << QStringLiteral("secret-assignment");
        QTest::newRow("dotenv value")
            << QStringLiteral("# local\nDEBUG=1\nSESSION_COOKIE=abcdef123456\n")
            << QStringLiteral(".env") << QStringLiteral("abcdef123456")
            << QStringLiteral("env-value");
        QTest::newRow("high entropy api key")
            << QStringLiteral("mapbox_access_token: pk9eyJ1Ijoic2hvcCIsImEiOiJja3Z6In0x")
            << QString() << QStringLiteral("pk9eyJ1Ijoic2hvcCIsImEiOiJja3Z6In0x")
            << QStringLiteral("secret-assignment");
    }

    void secretsAreReplacedByTheirKind()
    {
        QFETCH(QString, text);
        QFETCH(QString, path);
        QFETCH(QString, secret);
        QFETCH(QString, kind);
        QVERIFY2(text.contains(secret), "the row's secret is part of its text");
        const RedactedText result = SecretRedactor::redact(text, path);
        QVERIFY2(!result.text.contains(secret), qPrintable(result.text));
        QVERIFY2(result.text.contains(SecretRedactor::marker(kind)), qPrintable(result.text));
        QVERIFY(!result.redactions.isEmpty());
        QCOMPARE(result.redactions.first().kind, kind);
    }

    void ordinaryCodeIsLeftAlone_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("path");

        QTest::newRow("sha512 integrity in a lock file")
            << QStringLiteral("\"integrity\": "
                              "\"sha512-"
                              "8Bq2Pz9LmR4vT8wN3bYcD6fR0tS2uV4wX6yZ8aB0cD2eF4gH6iJ8kL0mN2oP4qR6sT8u"
                              "V0wX2yZ4aB6cD8eF0g==\"")
            << QStringLiteral("package-lock.json");
        QTest::newRow("sha256 checksum")
            << QStringLiteral(
                   "sha256 = \"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"")
            << QStringLiteral("Cargo.lock");
        QTest::newRow("git commit id")
            << QStringLiteral(
                   "resolved = "
                   "\"git+https://example.org/x.git#4b825dc642cb6eb9a060e54bf8d69288fbee4904\"")
            << QString();
        QTest::newRow("uuid") << QStringLiteral(
                                     "request_token = \"123e4567-e89b-12d3-a456-426614174000\"")
                              << QString();
        QTest::newRow("password read from the environment")
            << QStringLiteral(
                   "password = os.environ[\"DB_PASSWORD\"]\ntoken = getenv(\"API_TOKEN\")")
            << QString();
        QTest::newRow("password from a function")
            << QStringLiteral("password = prompt_password()\napi_key = self.api_key\n")
            << QString();
        QTest::newRow("template placeholders")
            << QStringLiteral("password: ${DB_PASSWORD}\ntoken = \"{{ vault_token }}\"\nsecret = "
                              "\"<your-secret>\"")
            << QString();
        QTest::newRow("fixture words")
            << QStringLiteral(
                   "user.password = \"password\"\nSECRET = 'changeme'\napi_key = \"test\"\n"
                   "token = \"dummy\"\npassword = \"hunter2\"")
            << QString();
        QTest::newRow("descriptive names")
            << QStringLiteral(
                   "password_label = \"Enter your password\"\ntoken_type = \"refresh_token\"\n"
                   "PASSWORD_REGEX = '^(?=.*[A-Z]).{8,}$'\nsecret_name = \"prod/db\"\n"
                   "api_key_header = \"X-Api-Key\"")
            << QString();
        QTest::newRow("words, not secrets")
            << QStringLiteral("token = \"bearer\"\nauth = \"basic\"\ncache_key = \"user_profile\"\n"
                              "grant = {\"token\": \"access_token\"}")
            << QString();
        QTest::newRow("connection string without a password")
            << QStringLiteral(
                   "url = 'postgresql://shop@db.local/shop'\nhttps://example.org:8443/path")
            << QString();
        QTest::newRow("connection string with a variable")
            << QStringLiteral("dsn = f\"postgresql://{user}:{password}@{host}/db\"\nurl = "
                              "\"mysql://root:$PASS@db/x\"")
            << QString();
        QTest::newRow("bearer with a variable")
            << QStringLiteral(
                   "headers['Authorization'] = f'Bearer {token}'\nreturn \"Bearer \" + token")
            << QString();
        QTest::newRow("publishable key words in prose")
            << QStringLiteral("# The secret key is read from the keyring; never hard-code it.\n"
                              "def rotate_secret(key_id, secret_store):\n    return "
                              "secret_store.rotate(key_id)")
            << QString();
        QTest::newRow("env example file")
            << QStringLiteral("DB_PASSWORD=\nAPI_TOKEN=your-token-here\nDEBUG=true\n")
            << QStringLiteral(".env.example");
        QTest::newRow("base64 image data")
            << QStringLiteral("icon = "
                              "\"iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/"
                              "9hAAAABHNCSVQICAgIfAhkiAAAAAlwSFlz\"")
            << QString();
        QTest::newRow("sk- in ordinary words")
            << QStringLiteral("pkg = \"sk-learn-tutorial-notebooks\"") << QString();
    }

    void ordinaryCodeIsLeftAlone()
    {
        QFETCH(QString, text);
        QFETCH(QString, path);
        const RedactedText result = SecretRedactor::redact(text, path);
        if (!result.redactions.isEmpty()) {
            QFAIL(qPrintable(QStringLiteral("redacted as %1: %2")
                                 .arg(result.redactions.first().kind, result.text)));
        }
        QCOMPARE(result.text, text);
    }

    void redactionsNameTheirLines()
    {
        const QString text = QStringLiteral("a = 1\n") +
                             joined({"-----BEGIN EC ", "PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC ",
                                     "PRIVATE KEY-----\n"}) +
                             QStringLiteral("b = 2\npassword = \"Tr0ub4dor&3\"\n");
        const RedactedText result = SecretRedactor::redact(text);
        QCOMPARE(result.redactions.size(), 2);
        QCOMPARE(result.redactions[0].line, 2);
        QCOMPARE(result.redactions[1].line, 6);
        QCOMPARE(result.text, QStringLiteral("a = 1\n[REDACTED:private-key]\nb = 2\n"
                                             "password = \"[REDACTED:secret-assignment]\"\n"));
    }

    void entropyOfKnownStrings()
    {
        QCOMPARE(SecretRedactor::entropy(u"aaaa"), 0.0);
        QCOMPARE(SecretRedactor::entropy(u"abcd"), 2.0);
        QVERIFY(SecretRedactor::entropy(u"k3P9xQ2mZr7LwT5vB8nY1cH4jD6f") > 4.0);
    }
};

QTEST_GUILESS_MAIN(TestSecretRedactor)
#include "TestSecretRedactor.moc"
