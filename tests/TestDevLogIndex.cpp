#include "generate/DevLogIndex.h"

#include <QtTest>

using namespace codeworm;

namespace {

DevLogIndex::Entry entry(const QString &repo, const QString &type, const QString &title, int day)
{
    return {repo, type, title,
            QStringLiteral("snippets/python/2026-11-%1_%2.md")
                .arg(day, 2, 10, QLatin1Char('0'))
                .arg(title.toLower()),
            QDateTime(QDate(2026, 11, day), QTime(12, 0))};
}

} // namespace

class TestDevLogIndex : public QObject
{
    Q_OBJECT

private slots:
    void groupsByRepositoryAndTypeNewestFirst()
    {
        const QString section = DevLogIndex::section(
            {entry(QStringLiteral("shop"), QStringLiteral("function_doc"), QStringLiteral("old"),
                   1),
             entry(QStringLiteral("shop"), QStringLiteral("security_review"),
                   QStringLiteral("login"), 3),
             entry(QStringLiteral("shop"), QStringLiteral("function_doc"), QStringLiteral("new"),
                   5),
             entry(QStringLiteral("api"), QStringLiteral("til"), QStringLiteral("defer"), 2)},
            {});
        QVERIFY(section.startsWith(DevLogIndex::beginMarker()));
        QVERIFY(section.endsWith(DevLogIndex::endMarker() + QLatin1Char('\n')));
        // Repositories by name, types in the original's order, documents newest first.
        const qsizetype api = section.indexOf(QStringLiteral("### api"));
        const qsizetype shop = section.indexOf(QStringLiteral("### shop"));
        const qsizetype docs = section.indexOf(QStringLiteral("**Documentation** (2)"));
        const qsizetype security = section.indexOf(QStringLiteral("**Security Review** (1)"));
        QVERIFY(api >= 0 && api < shop && shop < docs && docs < security);
        QVERIFY(section.indexOf(QStringLiteral("[new]")) <
                section.indexOf(QStringLiteral("[old]")));
        QVERIFY(section.contains(
            QStringLiteral("- 2026-11-05 [new](snippets/python/2026-11-05_new.md)\n")));
        QVERIFY(section.contains(QStringLiteral("**Today I Learned** (1)")));
    }

    void longGroupsSayHowManyMore()
    {
        QList<DevLogIndex::Entry> entries;
        for (int day = 1; day <= 25; ++day) {
            entries << entry(QStringLiteral("shop"), QStringLiteral("function_doc"),
                             QStringLiteral("f%1").arg(day), day);
        }
        const QString section =
            DevLogIndex::section(entries, {{QStringLiteral("shop\nfunction_doc"), 140}});
        QCOMPARE(section.count(QStringLiteral("- 2026-11-")), DevLogIndex::entriesPerGroup);
        QVERIFY(section.contains(QStringLiteral("**Documentation** (140)")));
        QVERIFY(section.contains(QStringLiteral("and 120 more")));
        QVERIFY(section.contains(QStringLiteral("[f25]")));
        QVERIFY(!section.contains(QStringLiteral("[f5]")));
    }

    void linksAreEscaped()
    {
        DevLogIndex::Entry odd = entry(QStringLiteral("r"), QStringLiteral("function_doc"),
                                       QStringLiteral("operator[]"), 1);
        odd.path = QStringLiteral("snippets/cpp/a (1).md");
        const QString section = DevLogIndex::section({odd}, {});
        QVERIFY2(section.contains(QStringLiteral("[operator\\[\\]](snippets/cpp/a%20%281%29.md)")),
                 qPrintable(section));
    }

    void mergeKeepsTheUsersText()
    {
        const QString first = DevLogIndex::section({}, {});
        // A new README.
        const QString created = DevLogIndex::merge(QString(), first);
        QVERIFY(created.startsWith(QStringLiteral("# DevLog\n")));
        QVERIFY(created.contains(QStringLiteral("Nothing documented yet.")));
        // The user's own README without markers: the index is appended.
        const QString mine = QStringLiteral("# My notes\n\nHand-written intro.");
        const QString appended = DevLogIndex::merge(mine, first);
        QVERIFY(appended.startsWith(mine + QLatin1Char('\n')));
        QVERIFY(appended.endsWith(first));
        // Later: only the part between the markers changes.
        const QString withOutro = appended + QStringLiteral("\nOutro the user added.\n");
        const QString second = DevLogIndex::section(
            {entry(QStringLiteral("shop"), QStringLiteral("function_doc"), QStringLiteral("f"), 2)},
            {});
        const QString updated = DevLogIndex::merge(withOutro, second);
        QVERIFY(updated.startsWith(mine + QLatin1Char('\n')));
        QVERIFY(updated.endsWith(QStringLiteral("\nOutro the user added.\n")));
        QVERIFY(updated.contains(QStringLiteral("[f](")));
        QVERIFY(!updated.contains(QStringLiteral("Nothing documented yet.")));
        QCOMPARE(updated.count(DevLogIndex::endMarker()), 1);
        QCOMPARE(DevLogIndex::merge(updated, second), updated);
    }
};

QTEST_GUILESS_MAIN(TestDevLogIndex)
#include "TestDevLogIndex.moc"
