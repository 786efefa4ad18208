#include "analysis/CodeExtractor.h"

#include "TestEnvironment.h"

#include <QDirIterator>
#include <QRandomGenerator>
#include <QtTest>

using namespace codeworm;

// Random bytes and mangled real sources for every grammar: the extractor must neither crash
// nor produce symbols whose ranges leave the file. Seeded and small, so that it stays
// deterministic and fast under AddressSanitizer and UBSan.
class TestExtractorFuzz : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void randomBytes();
    void mutatedSources();

private:
    static void check(const QString &language, const QByteArray &content);

    QList<QPair<QString, QByteArray>> m_sources; // language, content
};

namespace {

const QStringList &languages()
{
    static const QStringList list = {
        QStringLiteral("python"),     QStringLiteral("cpp"),        QStringLiteral("c"),
        QStringLiteral("javascript"), QStringLiteral("typescript"), QStringLiteral("tsx"),
        QStringLiteral("go"),         QStringLiteral("rust"),       QStringLiteral("java"),
    };
    return list;
}

} // namespace

void TestExtractorFuzz::initTestCase()
{
    const QString root = QStringLiteral(CODEWORM_TEST_DATA_DIR "/extract");
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString folder = QFileInfo(path).dir().dirName();
        QString language = languages().contains(folder) ? folder : QString();
        if (path.endsWith(QLatin1String(".py"))) {
            language = QStringLiteral("python");
        } else if (path.endsWith(QLatin1String("geometry.cpp"))) {
            language = QStringLiteral("cpp");
        } else if (path.endsWith(QLatin1String("ringbuffer.c"))) {
            language = QStringLiteral("c");
        }
        if (!language.isEmpty()) {
            m_sources.append({language, codeworm::test::readFile(path)});
        }
    }
    std::sort(m_sources.begin(), m_sources.end()); // directory order is not deterministic
    QVERIFY(m_sources.size() >= 9);
}

void TestExtractorFuzz::check(const QString &language, const QByteArray &content)
{
    const FileAnalysis analysis = CodeExtractor::analyze(language, content);
    for (const CodeSymbol &symbol : analysis.symbols) {
        QVERIFY(!symbol.name.isEmpty());
        QVERIFY(symbol.startLine >= 1 && symbol.endLine >= symbol.startLine);
        QVERIFY(symbol.startByte >= 0 && symbol.startByte <= symbol.endByte);
        QVERIFY(symbol.endByte <= content.size());
        QVERIFY(symbol.complexity >= 0 && symbol.maxNesting >= 0);
    }
    QVERIFY(analysis.metrics.linesOfCode <= analysis.metrics.totalLines);
}

void TestExtractorFuzz::randomBytes()
{
    QRandomGenerator random(20240611);
    // Bytes biased towards the characters that drive parsers: brackets, quotes, keywords.
    const QByteArray alphabet = "{}()[]<>;:,.'\"`/*#\\\n\t =+-&|?!@$%^~ abcdefxyz0123456789";
    const QList<QByteArray> words = {"def ",    "class ",    "fn ",        "func ",     "impl ",
                                     "struct ", "template<", "namespace ", "function ", "=> ",
                                     "if ",     "match ",    "case ",      "yield ",    "async ",
                                     "@",       "#[",        "///"};
    for (const QString &language : languages()) {
        for (int round = 0; round < 40; ++round) {
            QByteArray content;
            const int length = int(random.bounded(600));
            while (content.size() < length) {
                const quint32 pick = random.bounded(10);
                if (pick == 0) {
                    content += char(random.bounded(256));
                } else if (pick < 3) {
                    content += words.at(int(random.bounded(quint32(words.size()))));
                } else {
                    content += alphabet.at(int(random.bounded(quint32(alphabet.size()))));
                }
            }
            check(language, content);
        }
    }
}

void TestExtractorFuzz::mutatedSources()
{
    QRandomGenerator random(7);
    for (const auto &[language, source] : std::as_const(m_sources)) {
        for (int round = 0; round < 30; ++round) {
            QByteArray content = source;
            switch (random.bounded(4)) {
            case 0: // truncated anywhere, also mid-token and mid-UTF-8 sequence
                content.truncate(qsizetype(random.bounded(quint32(source.size() + 1))));
                break;
            case 1: { // a slice of another source spliced in
                const QByteArray &other =
                    m_sources.at(int(random.bounded(quint32(m_sources.size())))).second;
                const qsizetype at = qsizetype(random.bounded(quint32(content.size() + 1)));
                const qsizetype from = qsizetype(random.bounded(quint32(other.size() + 1)));
                const qsizetype length =
                    qsizetype(random.bounded(quint32(other.size() - from + 1)));
                content.insert(at, other.mid(from, length));
                break;
            }
            case 2: // a range deleted
            {
                const qsizetype at = qsizetype(random.bounded(quint32(content.size() + 1)));
                content.remove(at, qsizetype(random.bounded(200)));
                break;
            }
            default: // bytes flipped
                for (int i = 0; i < 8 && !content.isEmpty(); ++i) {
                    content[qsizetype(random.bounded(quint32(content.size())))] =
                        char(random.bounded(256));
                }
                break;
            }
            check(language, content);
        }
    }
}

QTEST_GUILESS_MAIN(TestExtractorFuzz)
#include "TestExtractorFuzz.moc"
