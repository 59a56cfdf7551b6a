package io.shardwire.proxy.admin;

import io.shardwire.config.UserConfig;
import io.shardwire.proxy.session.ClientGoneException;
import io.shardwire.proxy.session.Responder;
import java.util.Optional;

/** One session's way to the {@link AdminConsole}: answers a statement if it is an admin statement. */
public final class AdminHook {

    private final AdminConsole console;
    private final UserConfig user;

    /** @param user who the session logged in as, whose admin flag decides */
    public AdminHook(AdminConsole console, UserConfig user) {
        this.console = console;
        this.user = user;
    }

    /**
     * Answers {@code sql} if it is an admin statement.
     *
     * @return whether it was one (and was answered)
     */
    public boolean answered(String sql, Responder responder, int statusFlags) throws ClientGoneException {
        Optional<AdminStatement> statement = AdminStatement.parse(sql);
        if (statement.isEmpty()) {
            return false;
        }
        console.answer(statement.get(), user, responder, statusFlags);
        return true;
    }
}
