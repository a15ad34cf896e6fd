import { Body, Button, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";

/**
 * The e-mail of an alert (SPEC 20): the subject as heading, the message's lines as text, and a line
 * that is a link of the app as a button. React Email like the report (emails/utm-report.tsx);
 * inline styles only, because mail clients ignore stylesheets.
 */

const font = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export function AlertEmail({ subject, text }: { subject: string; text: string }) {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const link = lines.find((l) => /^https?:\/\/\S+$/.test(l));
  const body = lines.filter((l) => l !== link);
  return (
    <Html>
      <Head />
      <Preview>{body[1] ?? subject}</Preview>
      <Body style={{ backgroundColor: "#f3f4f6", fontFamily: font, margin: 0, padding: "24px 0" }}>
        <Container style={{ backgroundColor: "#ffffff", borderRadius: 8, maxWidth: 600, padding: 24 }}>
          <Heading as="h2" style={{ color: "#111827", fontSize: 18, margin: "0 0 12px" }}>
            {subject}
          </Heading>
          {body.map((l, i) => (
            <Text key={i} style={{ color: i === 0 ? "#111827" : "#374151", fontSize: 14, lineHeight: "20px", margin: "0 0 8px" }}>
              {l}
            </Text>
          ))}
          {link ? (
            <Section style={{ marginTop: 16 }}>
              <Button href={link} style={{ backgroundColor: "#4338ca", borderRadius: 6, color: "#ffffff", fontSize: 14, padding: "10px 16px" }}>
                UTM Dispatcher
              </Button>
            </Section>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}
