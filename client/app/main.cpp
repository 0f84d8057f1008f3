// natter: the desktop app.
#include "client/app/commandline.h"
#include "client/app/localservercontroller.h"
#include "client/app/applogging.h"
#include "client/app/mainwindow.h"
#include "client/net/serverbrowser.h"
#include "common/os/appidentity.h"
#include "client/app/settings.h"
#include "client/app/translations.h"

#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QSysInfo>

#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;
using natter::app::LocalServerController;
using natter::app::MainWindow;
using natter::app::Profile;
using natter::app::Settings;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    natter::os::setApplicationIdentity(u"Natter"_s);
    // The desktop entry and the window/tray icon: the same reverse-DNS id as installer/linux/*.desktop.
    QGuiApplication::setDesktopFileName(u"io.github.natter.Natter"_s);
    QApplication::setWindowIcon(QIcon(u":/icons/io.github.natter.Natter.svg"_s));

    // The language comes before the parser, so that --help is translated too: --language CODE on the
    // command line, else the profile's setting, else the system's. Peek at both without parsing twice.
    const QStringList args = QApplication::arguments();
    QString language;
    QString profileName = u"default"_s;
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString &a = args.at(i);
        const auto valueOf = [&](const QString &name) -> std::optional<QString> {
            if (a == name && i + 1 < args.size())
                return args.at(i + 1);
            if (a.startsWith(name + u'='))
                return a.mid(name.size() + 1);
            return std::nullopt;
        };
        if (const auto v = valueOf(u"--language"_s))
            language = *v;
        else if (const auto p = valueOf(u"--profile"_s))
            profileName = *p;
    }
    if (language.isEmpty() && Profile::isValidName(profileName))
        language = Settings(Profile::named(profileName).settingsFile).language();
    natter::app::installTranslations(app, language);
    QApplication::setApplicationDisplayName(QApplication::translate("main", "Natter"));

    natter::app::CommandLine commandLine;
    commandLine.parser().process(app); // --help, --version and unknown options end here
    const std::optional<natter::app::LaunchOptions> options = commandLine.read();
    if (!options) {
        std::fprintf(stderr, "%s\n", qPrintable(commandLine.errorText()));
        return 2;
    }
    profileName = options->profile;
    const Profile profile = Profile::named(profileName);
    QDir().mkpath(profile.dataDir);
    Settings settings(profile.settingsFile);

    natter::client::ServerBrowser browser;
    if (!browser.start())
        qCWarning(lcUi) << "LAN discovery is off:" << browser.errorString();

    natter::server::ServerConfig serverConfig;
    serverConfig.dbPath = QDir(profile.dataDir).filePath(u"server/natter.db"_s);
    LocalServerController server(serverConfig);

    MainWindow window(settings, browser, server, profile.dataDir);
    window.show();
    // Back into the chats of the account signed in last when its session can resume (offline too: it
    // reconnects); else the sign-in dialog.
    window.resumeOrSignIn();
    if (options->localServer) {
        // The window fills the sign-in dialog with 127.0.0.1:PORT once the server runs, and reports a
        // failure (port taken, database unusable) like a start from the Server menu.
        server.start(options->port.value_or(settings.localServerPort()), QSysInfo::machineHostName());
    }
    const int code = app.exec();
    settings.sync();
    return code;
}
