// natter-bench: throughput, latency and memory benchmarks against any Natter server (wire protocol v1).

#include "bench/idlerun.h"
#include "bench/options.h"
#include "bench/stats.h"
#include "bench/trafficrun.h"

#include "common/protocol/events.h"

#include <QCoreApplication>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;
using namespace natter::bench;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"natter-bench"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(NATTER_VERSION));

    QString error;
    const auto options = parseOptions(app, &error);
    if (!options) {
        std::fprintf(stderr, "natter-bench: %s\nTry 'natter-bench --help'.\n", qPrintable(error));
        return kExitUsage;
    }
    raiseOpenFileLimit();

    std::unique_ptr<Run> run;
    if (options->mode == Mode::Idle)
        run = std::make_unique<IdleRun>(*options);
    else
        run = std::make_unique<TrafficRun>(*options);

    QObject::connect(run.get(), &Run::finished, &app, [&run] {
        say(u"RESULT "_s + QString::fromUtf8(natter::protocol::encode(run->result())));
        QCoreApplication::exit(run->exitCode());
    });
    say(u"natter-bench %1: %2 over %3 to %4"_s.arg(QCoreApplication::applicationVersion(), modeName(options->mode),
                                                   transportName(options->transport), options->url.toString()));
    run->start();
    return app.exec();
}
