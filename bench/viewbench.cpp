// natter-viewbench: how the desktop app's message view behaves with a long conversation, offscreen.
// Fills a MessageListModel with N messages of varied length (Latin, Hangul, emoji, links), shows a
// MessageView and times, each from the action to the moment the viewport has painted the result:
// the first paint after setting the model, scroll steps (page up/down, wheel, jumps over the whole
// range incl. the top), appending a message at the bottom (and while scrolled up), and re-layout after
// a width change. Prints p50/p99/max per operation, the text layouts the message delegate made per
// operation (what its height cache saves), and the peak RSS.

#include "bench/stats.h"

#include "client/app/messagedelegate.h"
#include "client/app/messageview.h"
#include "client/models/messagelistmodel.h"
#include "client/storage/localstore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QKeyEvent>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QWheelEvent>

#include <sys/resource.h>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using natter::app::MessageView;
using natter::bench::LatencySamples;
using natter::bench::LatencySummary;
using natter::bench::nowNs;
using natter::client::LocalMessage;
using natter::client::LocalStore;
using natter::client::MessageListModel;
using natter::client::MessageState;

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitFailed = 1;
const QString kPeer = u"bench"_s;
const QString kSelf = u"me"_s;

// Counts the viewport's paint events: an operation is done when the viewport has painted after it.
class PaintCounter : public QObject
{
public:
    using QObject::QObject;
    int paints = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint)
            ++paints;
        return QObject::eventFilter(watched, event);
    }
};

const QStringList &phrases()
{
    static const QStringList list = {
        u"ok"_s,
        u"see you at noon"_s,
        u"안녕하세요! 점심 같이 드실래요? 🍜"_s,
        u"The build is green again 🎉 thanks for the quick fix"_s,
        u"회의록은 https://wiki.example.com/meetings/2024-05-02 에 올려 두었습니다."_s,
        u"Could you check www.example.org/docs (the section on sockets), please?"_s,
        u"I pushed the branch; the benchmark numbers are in the description, and the profile shows most of "
        u"the time goes into JSON parsing on the network thread, then SQLite on the storage thread."_s,
        u"👍"_s,
        u"오늘 배포는 오후 네 시에 시작합니다. 배포 중에는 서버가 몇 분 동안 응답하지 않을 수 있으니 "
        u"급한 일은 미리 처리해 주세요. 문제가 생기면 바로 이 방에 알려 주세요."_s,
        u"mailto:ops@example.com if the pager is quiet"_s,
        u"Line one\nLine two\nLine three"_s,
        u"😀😃😄😁😆😅😂🤣"_s,
        u"<b>not bold</b> & not a tag"_s,
        u"Supercalifragilisticexpialidocious-and-then-some-more-text-without-any-spaces-at-all-to-wrap"_s,
    };
    return list;
}

LocalMessage makeMessage(qint64 id, qint64 tsMs, QRandomGenerator &random)
{
    LocalMessage m;
    m.id = id;
    m.cid = u"c%1"_s.arg(id);
    m.peer = kPeer;
    const bool own = random.bounded(3) == 0;
    m.from = own ? kSelf : kPeer;
    m.to = own ? kPeer : kSelf;
    m.isOwn = own;
    m.state = own ? MessageState::Read : MessageState::Received;
    m.tsMs = tsMs;
    const QStringList &list = phrases();
    m.body = list.at(random.bounded(int(list.size())));
    if (random.bounded(4) == 0) // some are longer: two phrases
        m.body += u' ' + list.at(random.bounded(int(list.size())));
    return m;
}

bool spinUntil(const std::function<bool()> &done, int timeoutMs = 120'000)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    }
    return true;
}

qint64 peakRssKb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss; // KiB on Linux
}

// Text layouts the delegate made (measuring or painting), the cost a height cache saves.
int layoutCount(const MessageView &view)
{
#ifdef NATTER_VIEWBENCH_NO_LAYOUT_COUNT // built against a MessageDelegate without the counter
    Q_UNUSED(view);
    return 0;
#else
    return view.messageDelegate()->textLayoutCount();
#endif
}

struct Operation {
    LatencySamples samples;
    qint64 layouts = 0;
};

void printRow(const QString &name, Operation &op)
{
    if (op.samples.count() == 0)
        return;
    const LatencySummary s = op.samples.summarize();
    std::printf("| %-28s | %6lld | %9.2f | %9.2f | %9.2f | %9.1f |\n", qPrintable(name), qlonglong(s.count), s.p50Ms,
                s.p99Ms, s.maxMs, double(op.layouts) / double(s.count));
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(u"natter-viewbench"_s);
    QApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Times the message view with a long conversation (offscreen)."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption messagesOption(u"messages"_s, u"Messages in the conversation (default 100000)."_s,
                                            u"n"_s, u"100000"_s);
    const QCommandLineOption widthOption(u"width"_s, u"View width in pixels (default 800)."_s, u"px"_s, u"800"_s);
    const QCommandLineOption heightOption(u"height"_s, u"View height in pixels (default 600)."_s, u"px"_s, u"600"_s);
    const QCommandLineOption jumpsOption(u"jumps"_s,
                                         u"Jumps over the scroll range; after each: page down, page up, wheel down, "
                                         u"wheel up (default 100)."_s,
                                         u"n"_s, u"100"_s);
    const QCommandLineOption appendsOption(u"appends"_s, u"Messages appended at the bottom, and again while "
                                                         u"scrolled up (default 100)."_s,
                                           u"n"_s, u"100"_s);
    const QCommandLineOption resizesOption(u"resizes"_s, u"Width changes (default 10)."_s, u"n"_s, u"10"_s);
    parser.addOptions({messagesOption, widthOption, heightOption, jumpsOption, appendsOption, resizesOption});
    parser.process(app);
    const auto number = [&](const QCommandLineOption &option, int min) {
        bool ok = false;
        const int value = parser.value(option).toInt(&ok);
        if (!ok || value < min) {
            std::fprintf(stderr, "natter-viewbench: --%s must be a number >= %d\n", qPrintable(option.names().first()),
                         min);
            std::exit(kExitUsage);
        }
        return value;
    };
    const int count = number(messagesOption, 1);
    const int width = number(widthOption, 200);
    const int height = number(heightOption, 200);
    const int jumps = number(jumpsOption, 2);
    const int appends = number(appendsOption, 0);
    const int resizes = number(resizesOption, 0);

    QTemporaryDir dir;
    LocalStore store(dir.filePath(u"viewbench.db"_s));
    QString error;
    if (!dir.isValid() || !store.open(&error)) {
        std::fprintf(stderr, "natter-viewbench: cannot open a local store: %s\n", qPrintable(error));
        return kExitFailed;
    }
    store.setSelf(kSelf);
    MessageListModel model(store);
    bool loaded = false;
    QObject::connect(&model, &MessageListModel::newestPageLoaded, &app, [&] { loaded = true; });
    model.setConversation(kPeer);
    if (!spinUntil([&] { return loaded; })) {
        std::fprintf(stderr, "natter-viewbench: the model did not load\n");
        return kExitFailed;
    }

    // One message every 37 s: a day separator now and then.
    QRandomGenerator random(42);
    const qint64 firstId = 1'000'000;
    const qint64 t0 = QDateTime(QDate(2024, 1, 1), QTime(8, 0)).toMSecsSinceEpoch();
    QList<LocalMessage> messages;
    messages.reserve(count);
    for (int i = 0; i < count; ++i)
        messages.append(makeMessage(firstId + i, t0 + qint64(i) * 37'000, random));
    model.addMessages(messages);
    messages.clear();
    const qint64 rssModelKb = peakRssKb();

    MessageView view;
    view.resize(width, height);
    view.show();
    PaintCounter painted;
    view.viewport()->installEventFilter(&painted);
    spinUntil([&] { return painted.paints > 0; });
    QScrollBar *bar = view.verticalScrollBar();
    const auto lastRowShown = [&] {
        const QRect r = view.visualRect(view.model()->index(view.model()->rowCount() - 1, 0));
        return r.isValid() && r.intersects(view.viewport()->rect());
    };
    // Done when the viewport has painted since `before` and `ready` holds.
    const auto settle = [&](int before, const std::function<bool()> &ready) {
        return spinUntil([&] { return painted.paints > before && ready(); });
    };

    std::printf("natter-viewbench: %d messages, view %dx%d\n", count, width, height);
    Operation firstPaint, pageSteps, wheelSteps, jumpSteps, appendBottom, appendUp, resize;

    // First paint, at the bottom as the app opens a conversation.
    {
        const int before = painted.paints;
        const int layouts = layoutCount(view);
        const qint64 start = nowNs();
        view.setMessages(&model);
        if (!settle(before, [&] { return view.isAtBottom() && lastRowShown(); })) {
            std::fprintf(stderr, "natter-viewbench: the view never showed the last message\n");
            return kExitFailed;
        }
        firstPaint.samples.add(nowNs() - start);
        firstPaint.layouts += layoutCount(view) - layouts;
    }

    // One step: the action, then wait for a paint if it moved the view (at an end, a step may not).
    const auto step = [&](Operation &op, const std::function<void()> &action) {
        const int before = painted.paints;
        const int value = bar->value();
        const int layouts = layoutCount(view);
        const qint64 start = nowNs();
        action();
        QCoreApplication::processEvents();
        if (bar->value() == value)
            return; // did not move: nothing to time
        settle(before, [] { return true; });
        op.samples.add(nowNs() - start);
        op.layouts += layoutCount(view) - layouts;
    };
    const auto key = [&](int k) {
        QKeyEvent press(QEvent::KeyPress, k, Qt::NoModifier);
        QCoreApplication::sendEvent(&view, &press);
        QKeyEvent release(QEvent::KeyRelease, k, Qt::NoModifier);
        QCoreApplication::sendEvent(&view, &release);
    };
    const auto wheel = [&](int delta) {
        const QPointF pos(view.viewport()->width() / 2.0, view.viewport()->height() / 2.0);
        QWheelEvent event(pos, view.viewport()->mapToGlobal(pos), QPoint(), QPoint(0, delta), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(view.viewport(), &event);
    };
    for (int j = 0; j < jumps; ++j) {
        // Spread over the whole range; the first jump goes to the very top, the last to the bottom.
        const int target = int(qint64(bar->maximum()) * j / (jumps - 1));
        step(jumpSteps, [&] { bar->setValue(target); });
        step(pageSteps, [&] { key(Qt::Key_PageDown); });
        step(pageSteps, [&] { key(Qt::Key_PageUp); });
        step(wheelSteps, [&] { wheel(-120); });
        step(wheelSteps, [&] { wheel(120); });
    }

    // Appending at the bottom: the view follows.
    qint64 nextId = firstId + count;
    qint64 nextTs = t0 + qint64(count) * 37'000;
    bar->setValue(bar->maximum());
    QCoreApplication::processEvents();
    int lostBottom = 0;
    for (int i = 0; i < appends; ++i) {
        const int before = painted.paints;
        const int layouts = layoutCount(view);
        const qint64 start = nowNs();
        model.addMessage(makeMessage(nextId++, nextTs += 5000, random));
        if (!settle(before, [&] { return view.isAtBottom() && lastRowShown(); }))
            ++lostBottom;
        appendBottom.samples.add(nowNs() - start);
        appendBottom.layouts += layoutCount(view) - layouts;
    }
    // Appending while scrolled up: the view stays where it is.
    bar->setValue(bar->maximum() / 2);
    QCoreApplication::processEvents();
    int jumped = 0;
    for (int i = 0; i < appends; ++i) {
        const int value = bar->value();
        const int max = bar->maximum();
        const int layouts = layoutCount(view);
        const qint64 start = nowNs();
        model.addMessage(makeMessage(nextId++, nextTs += 5000, random));
        spinUntil([&] { return bar->maximum() != max; });
        QCoreApplication::processEvents();
        appendUp.samples.add(nowNs() - start);
        appendUp.layouts += layoutCount(view) - layouts;
        if (bar->value() != value)
            ++jumped;
    }
    // Width changes (what dragging the window edge ends in), laid out at once instead of after the
    // 100 ms that QListView waits in Adjust mode.
    for (int i = 0; i < resizes; ++i) {
        const int before = painted.paints;
        const int layouts = layoutCount(view);
        const qint64 start = nowNs();
        view.resize(i % 2 == 0 ? width * 4 / 5 : width, height);
        view.doItemsLayout();
        settle(before, [] { return true; });
        resize.samples.add(nowNs() - start);
        resize.layouts += layoutCount(view) - layouts;
    }
    const qint64 rssPeakKb = peakRssKb();

    std::printf("| %-28s | %6s | %9s | %9s | %9s | %9s |\n", "operation (ms)", "n", "p50", "p99", "max",
                "layouts");
    std::printf("| %-28s | %6s | %9s | %9s | %9s | %9s |\n", "---", "---:", "---:", "---:", "---:", "---:");
    printRow(u"first paint (at the bottom)"_s, firstPaint);
    printRow(u"scroll: page up/down"_s, pageSteps);
    printRow(u"scroll: wheel"_s, wheelSteps);
    printRow(u"scroll: jump (incl. top)"_s, jumpSteps);
    printRow(u"append at the bottom"_s, appendBottom);
    printRow(u"append while scrolled up"_s, appendUp);
    printRow(u"width change (re-layout)"_s, resize);
    std::printf("rows at the end: %d; peak RSS %.1f MiB (%.1f MiB with the model filled, before the view)\n",
                model.rowCount(), double(rssPeakKb) / 1024.0, double(rssModelKb) / 1024.0);
    std::printf("append at the bottom left the bottom: %d times; append while scrolled up moved the view: %d times\n",
                lostBottom, jumped);
    std::fflush(stdout);
    return lostBottom + jumped == 0 ? 0 : kExitFailed;
}
