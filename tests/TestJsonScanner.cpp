// JsonScanner against QJsonDocument: whatever the scanner accepts, Qt's parser accepts with the
// same members and string values, and the lines servers send are accepted. Checked on the lines
// Ollama and OpenAI-compatible servers send, on hand-picked hostile lines and on thousands of
// seeded mutations of them.

#include "llm/JsonScanner.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace codeworm;
using JsonScanner::Member;

namespace {

const QByteArray samples[] = {
    R"({"model":"qwen2.5:7b","created_at":"2026-11-30T10:00:00.1Z","response":" word","done":false})",
    R"({"model":"m","created_at":"t","message":{"role":"assistant","content":"Hi \"there\"\n"},"done":false})",
    R"({"model":"m","response":"","thinking":"hmm","done":false})",
    R"({"model":"m","response":"caf\u00e9 \ud83d\ude00 \u20ac","done":false})",
    R"({"model":"m","response":"tab\tslash\/back\\ \b\f\r","done":false})",
    R"({"model":"m","response":"","done":true,"done_reason":"stop","total_duration":1500000000,"eval_count":12})",
    R"({"error":"model runner has unexpectedly stopped"})",
    R"({"a":[1,-2.5e3,0.25,true,false,null,{"b":[[]]}],"c":{},"d":[],"e":-0})",
    R"(  { "spaced" : "out" , "n" : 1E+2 }  )",
    R"({"dup":"first","dup":"second"})",
    R"({"utf8":"naïve 日本語"})",
    R"({})",
};

// Qt's verdict on one line: an object, or nothing.
std::optional<QJsonObject> qtObject(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject()) {
        return std::nullopt;
    }
    return document.object();
}

QString decoded(const Member &member)
{
    QString text;
    if (!JsonScanner::appendString(member.value, text)) {
        return QStringLiteral("<not decoded>");
    }
    return text;
}

QJsonValue::Type qtType(Member::Kind kind)
{
    switch (kind) {
    case Member::Kind::String:
        return QJsonValue::String;
    case Member::Kind::Number:
        return QJsonValue::Double;
    case Member::Kind::Object:
        return QJsonValue::Object;
    case Member::Kind::Array:
        return QJsonValue::Array;
    case Member::Kind::True:
    case Member::Kind::False:
        return QJsonValue::Bool;
    case Member::Kind::Null:
        return QJsonValue::Null;
    }
    return QJsonValue::Undefined;
}

// Checks one line the scanner took against Qt; returns a description of the disagreement, or
// an empty string.
QString disagreement(const QByteArray &line)
{
    JsonScanner::Members members;
    const bool scanned = JsonScanner::members(line, members);
    const std::optional<QJsonObject> object = qtObject(line);
    if (scanned && !object) {
        return QStringLiteral("accepted what Qt rejects");
    }
    if (!scanned) {
        // Declining is safe (the line goes to Qt), and Qt is laxer than JSON in places ("0."
        // is a number to it): only the server lines must be taken, which the callers check.
        return {};
    }
    if (object->size() > members.size()) {
        return QStringLiteral("fewer members than Qt");
    }
    for (const Member &member : members) {
        const QString key = QString::fromUtf8(member.key);
        const Member *last = JsonScanner::find(members, member.key);
        if (last != &member) {
            continue; // a duplicate: the last one counts, as in Qt
        }
        const QJsonValue value = object->value(key);
        if (value.type() != qtType(member.kind)) {
            return QStringLiteral("member %1 has another type").arg(key);
        }
        if (member.kind == Member::Kind::String) {
            QString text;
            if (JsonScanner::appendString(member.value, text) && text != value.toString()) {
                return QStringLiteral("member %1 decodes to \"%2\", Qt to \"%3\"")
                    .arg(key, text, value.toString());
            }
        }
    }
    return {};
}

} // namespace

class TestJsonScanner : public QObject
{
    Q_OBJECT
private slots:
    void agreesWithQtOnServerLines();
    void rejectsWhatIsNotOneObject_data();
    void rejectsWhatIsNotOneObject();
    void decodesEscapesAndSurrogatePairs();
    void loneSurrogatesAreLeftToQt();
    void agreesWithQtOnMutatedLines();
};

void TestJsonScanner::agreesWithQtOnServerLines()
{
    for (const QByteArray &line : samples) {
        JsonScanner::Members members;
        QVERIFY2(JsonScanner::members(line, members), line.constData());
        const QString problem = disagreement(line);
        QVERIFY2(problem.isEmpty(),
                 qPrintable(problem + QStringLiteral(": ") + QString::fromUtf8(line)));
    }
    JsonScanner::Members members;
    QVERIFY(JsonScanner::members(samples[1], members));
    const Member *message = JsonScanner::find(members, "message");
    QVERIFY(message);
    QCOMPARE(message->kind, Member::Kind::Object);
    JsonScanner::Members inner;
    QVERIFY(JsonScanner::members(message->value, inner));
    QCOMPARE(decoded(*JsonScanner::find(inner, "content")), QStringLiteral("Hi \"there\"\n"));
    QVERIFY(JsonScanner::members(samples[9], members));
    QCOMPARE(decoded(*JsonScanner::find(members, "dup")), QStringLiteral("second"));
    QVERIFY(!JsonScanner::find(members, "missing"));
}

void TestJsonScanner::rejectsWhatIsNotOneObject_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("array") << QByteArray(R"([1,2])");
    QTest::newRow("string") << QByteArray(R"("text")");
    QTest::newRow("two objects") << QByteArray(R"({"a":1}{"b":2})");
    QTest::newRow("cut") << QByteArray(R"({"response":"half)");
    QTest::newRow("trailing comma") << QByteArray(R"({"a":1,})");
    QTest::newRow("single quotes") << QByteArray(R"({'a':1})");
    QTest::newRow("bare word") << QByteArray(R"({"a":yes})");
    QTest::newRow("leading zero") << QByteArray(R"({"a":01})");
    QTest::newRow("bad escape") << QByteArray(R"({"a":"\x41"})");
    QTest::newRow("short unicode escape") << QByteArray(R"({"a":"\u12"})");
    QTest::newRow("raw newline in a string") << QByteArray("{\"a\":\"x\ny\"}");
    QTest::newRow("garbage after") << QByteArray(R"({"a":1} x)");
    QTest::newRow("html") << QByteArray("<html>proxy error</html>");
    QTest::newRow("deep") << QByteArray(R"({"a":)") + QByteArray(100, '[') + QByteArray(100, ']') +
                                 QByteArray("}");
}

void TestJsonScanner::rejectsWhatIsNotOneObject()
{
    QFETCH(QByteArray, line);
    JsonScanner::Members members;
    QVERIFY(!JsonScanner::members(line, members));
}

void TestJsonScanner::decodesEscapesAndSurrogatePairs()
{
    QString text = QStringLiteral("kept ");
    QVERIFY(JsonScanner::appendString(R"("a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\ud83d\ude00")", text));
    QCOMPARE(text, QStringLiteral("kept a\"b\\c/d\b\f\n\r\tAé") + QString::fromUtf8("\U0001F600"));
    QString plain;
    QVERIFY(JsonScanner::appendString(R"("naïve")", plain));
    QCOMPARE(plain, QStringLiteral("naïve"));
}

void TestJsonScanner::loneSurrogatesAreLeftToQt()
{
    for (const QByteArray &value :
         {QByteArray(R"("\ud83d")"), QByteArray(R"("\ude00x")"), QByteArray(R"("\ud83d\u0041")")}) {
        QString text = QStringLiteral("unchanged");
        QVERIFY2(!JsonScanner::appendString(value, text), value.constData());
        QCOMPARE(text, QStringLiteral("unchanged"));
    }
}

void TestJsonScanner::agreesWithQtOnMutatedLines()
{
    // Seeded: a failure names its line and repeats.
    QRandomGenerator random(20261130);
    const QByteArray specials = R"({}[]":,\ 0-.eE+tfnu)";
    int accepted = 0;
    for (int round = 0; round < 20000; ++round) {
        QByteArray line = samples[random.bounded(int(std::size(samples)))];
        for (int edits = 1 + random.bounded(3); edits > 0 && !line.isEmpty(); --edits) {
            const int at = random.bounded(int(line.size()));
            switch (random.bounded(3)) {
            case 0:
                line.remove(at, 1);
                break;
            case 1:
                line.insert(at, specials.at(random.bounded(int(specials.size()))));
                break;
            default:
                line[at] = specials.at(random.bounded(int(specials.size())));
                break;
            }
        }
        const QString problem = disagreement(line);
        QVERIFY2(problem.isEmpty(),
                 qPrintable(problem + QStringLiteral(": ") + QString::fromUtf8(line)));
        JsonScanner::Members members;
        accepted += JsonScanner::members(line, members) ? 1 : 0;
    }
    // Both kinds of lines were seen: the comparison covered acceptance and rejection.
    QVERIFY2(accepted > 500 && accepted < 19500, qPrintable(QString::number(accepted)));
}

QTEST_GUILESS_MAIN(TestJsonScanner)
#include "TestJsonScanner.moc"
