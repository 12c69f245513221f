package io.ocppgw.edge.handshake;

import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** The subject of a charge point's client certificate (security profile 3): its CN and O. */
public record ClientCertificate(Optional<String> commonName, Optional<String> organization) {

    /** Reads an RFC 2253 subject ({@code CN=CP-1,O=Acme}); empty when it is not a distinguished name. */
    public static Optional<ClientCertificate> fromSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            return Optional.empty();
        }
        try {
            LdapName name = new LdapName(subject);
            String cn = null;
            String o = null;
            for (Rdn rdn : name.getRdns()) {
                String type = rdn.getType().toUpperCase(Locale.ROOT);
                if (type.equals("CN")) {
                    cn = String.valueOf(rdn.getValue());
                } else if (type.equals("O")) {
                    o = String.valueOf(rdn.getValue());
                }
            }
            return Optional.of(new ClientCertificate(Optional.ofNullable(cn), Optional.ofNullable(o)));
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
