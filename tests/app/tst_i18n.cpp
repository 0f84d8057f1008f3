// Translations and Korean text: the embedded Korean catalogue is complete and used, English falls back to
// the source strings, and Hangul renders with real glyphs (a CJK font such as fonts-nanum must be
// installed: without one, text draws as boxes with no warning) and wraps in a narrow column.

#include "client/app/connectionstatuslabel.h"
#include "client/app/mainwindow.h"
#include "client/models/messagelistmodel.h"
#include "client/app/signindialog.h"
#include "client/app/translations.h"

#include <QApplication>
#include <QFile>
#include <QFontDatabase>
#include <QGlyphRun>
#include <QLibraryInfo>
#include <QRawFont>
#include <QTest>
#include <QTextLayout>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using natter::app::ConnectionStatusLabel;
using natter::app::MainWindow;
using natter::app::SignInDialog;
using natter::client::MessageListModel;

namespace {

void removeTranslators()
{
    const auto translators = qApp->findChildren<QTranslator *>(Qt::FindDirectChildrenOnly);
    for (QTranslator *t : translators)
        delete t; // ~QTranslator uninstalls it
}

// Lays out `text` in lines of at most `width` pixels with the application font.
struct Laid {
    int lines = 0;
    qreal widest = 0;
    QList<QGlyphRun> runs;
};

Laid layOut(const QString &text, qreal width)
{
    QTextLayout layout(text, QApplication::font());
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout.setTextOption(option);
    Laid laid;
    layout.beginLayout();
    qreal y = 0;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        line.setPosition(QPointF(0, y));
        y += line.height();
        laid.widest = std::max(laid.widest, line.naturalTextWidth());
        ++laid.lines;
    }
    layout.endLayout();
    laid.runs = layout.glyphRuns();
    return laid;
}

} // namespace

class TestI18n : public QObject
{
    Q_OBJECT
private slots:
    void cleanup() { removeTranslators(); }

    void koreanCatalogueIsEmbedded()
    {
        QVERIFY(QFile::exists(natter::app::translationResource(u"ko"_s)));
        QVERIFY(QFile::exists(natter::app::translationResource(u"en"_s)));
        QCOMPARE(natter::app::translationResource(u"ko"_s), u":/i18n/natter_ko.qm"_s);
    }

    void koreanStringsComeOutTranslated()
    {
        const auto result = natter::app::installTranslations(*qApp, u"ko"_s);
        QVERIFY(result.natter);
        QCOMPARE(result.locale.language(), QLocale::Korean);
        QCOMPARE(QLocale().language(), QLocale::Korean); // an explicit language becomes the default locale

        // The same calls the widgets make, so the .ts contexts must match the runtime class names.
        QCOMPARE(MainWindow::tr("&Server"), u"서버(&S)"_s);
        QCOMPARE(MainWindow::tr("&Conversation"), u"대화(&C)"_s);
        QCOMPARE(MainWindow::tr("Local server on port %1").arg(7470), u"로컬 서버 실행 중(포트 7470)"_s);
        QCOMPARE(SignInDialog::tr("Sign in to Natter"), u"Natter 로그인"_s);
        QCOMPARE(SignInDialog::tr("&Password:"), u"비밀번호(&P):"_s);
        QCOMPARE(MessageListModel::tr("Today"), u"오늘"_s);
        QCOMPARE(ConnectionStatusLabel::tr("Reconnecting in %n s · %1", nullptr, 5).arg(u"WebSocket"_s),
                 u"5초 후 다시 연결 · WebSocket"_s);
        QCOMPARE(QCoreApplication::translate("main", "Natter: chat on your local network."),
                 u"Natter: 로컬 네트워크에서 대화하세요."_s);

        // Qt's own strings (standard buttons, context menus) when the system ships them.
        const QString qtbase = QLibraryInfo::path(QLibraryInfo::TranslationsPath) + u"/qtbase_ko.qm"_s;
        QCOMPARE(result.qt, QFile::exists(qtbase));
        if (result.qt)
            QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"취소"_s);
    }

    void englishUsesTheSourceStrings()
    {
        const auto result = natter::app::installTranslations(*qApp, u"en"_s);
        QCOMPARE(result.locale.language(), QLocale::English);
        QCOMPARE(MainWindow::tr("&Server"), u"&Server"_s);
        QCOMPARE(ConnectionStatusLabel::tr("Reconnecting in %n s · %1", nullptr, 1), u"Reconnecting in 1 s · %1"_s);
        QCOMPARE(ConnectionStatusLabel::tr("Reconnecting in %n s · %1", nullptr, 3), u"Reconnecting in 3 s · %1"_s);
    }

    void unknownLanguageFallsBackToEnglish()
    {
        const auto result = natter::app::installTranslations(*qApp, u"xx"_s);
        QVERIFY(!result.natter);
        QCOMPARE(MainWindow::tr("&Server"), u"&Server"_s);
    }

    // Every message in natter_ko.ts is finished and reaches the embedded catalogue, so a string added to the
    // code and picked up by `update_translations` but left untranslated fails here.
    void koreanCatalogueIsComplete()
    {
        QFile ts(QStringLiteral(NATTER_KO_TS));
        QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(ts.fileName()));
        QTranslator ko;
        QVERIFY(ko.load(natter::app::translationResource(u"ko"_s)));
        QXmlStreamReader xml(&ts);
        QString context, source, comment;
        bool numerus = false;
        int messages = 0;
        QStringList missing;
        while (!xml.atEnd()) {
            xml.readNext();
            if (!xml.isStartElement())
                continue;
            const auto name = xml.name();
            if (name == u"name") {
                context = xml.readElementText();
            } else if (name == u"message") {
                numerus = xml.attributes().value(u"numerus"_s) == u"yes";
                source.clear();
                comment.clear();
            } else if (name == u"source") {
                source = xml.readElementText();
            } else if (name == u"comment") {
                comment = xml.readElementText();
            } else if (name == u"translation") {
                ++messages;
                const bool unfinished = !xml.attributes().value(u"type"_s).isEmpty();
                const QString text = ko.translate(context.toUtf8().constData(), source.toUtf8().constData(),
                                                  comment.isEmpty() ? nullptr : comment.toUtf8().constData(),
                                                  numerus ? 2 : -1);
                if (unfinished || text.isEmpty())
                    missing << context + u": "_s + source;
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(messages > 50);
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(u"\n"_s)));
    }

    // Hangul goes through font fallback (the default font, DejaVu, has none): every glyph must be a real one
    // (index 0 is the "missing" box) from a font that has the characters.
    void hangulRendersWithRealGlyphs()
    {
        QVERIFY2(!QFontDatabase::families(QFontDatabase::Korean).isEmpty(),
                 "no font with Hangul is installed (install fonts-nanum)");
        const QString text = u"안녕하세요! 점심 먹었어요?"_s;
        const Laid laid = layOut(text, 10'000);
        QCOMPARE(laid.lines, 1);
        QVERIFY(!laid.runs.isEmpty());
        bool hangulFont = false;
        for (const QGlyphRun &run : laid.runs) {
            const auto glyphs = run.glyphIndexes();
            QVERIFY(!glyphs.isEmpty());
            for (quint32 g : glyphs)
                QVERIFY2(g != 0, qPrintable(u"missing glyph in font "_s + run.rawFont().familyName()));
            if (run.rawFont().supportsCharacter(U'안') && run.rawFont().supportsCharacter(U'요')) {
                hangulFont = true;
                qInfo().noquote() << "Hangul font:" << run.rawFont().familyName();
            }
        }
        QVERIFY(hangulFont);
    }

    void longHangulMessageWraps_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("words") << u"내일 아침 회의는 열 시에 3층 회의실에서 시작합니다. 발표 자료를 미리 읽어 와 주세요."_s;
        QTest::newRow("no spaces") << u"가나다라마바사아자차카타파하가나다라마바사아자차카타파하"_s;
    }

    void longHangulMessageWraps()
    {
        QFETCH(QString, text);
        const qreal width = 100;
        const Laid wide = layOut(text, 10'000);
        QCOMPARE(wide.lines, 1);
        QVERIFY(wide.widest > width); // too long for the narrow column...
        const Laid narrow = layOut(text, width);
        QVERIFY2(narrow.lines > 1, qPrintable(QString::number(narrow.lines)));
        QVERIFY2(narrow.widest <= width + 0.5, qPrintable(QString::number(narrow.widest))); // ...so it wraps
    }
};

QTEST_MAIN(TestI18n)
#include "tst_i18n.moc"
