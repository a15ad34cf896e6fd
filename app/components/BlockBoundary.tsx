"use client";

import { Component, type ReactNode } from "react";
import { ErrorBox } from "./States";

/**
 * A block's own error boundary: an error while rendering one block replaces only that block with
 * a message; the rest of the dashboard keeps working (SPEC 6).
 */
export class BlockBoundary extends Component<{ fallback: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  componentDidCatch(error: unknown): void {
    console.warn("dashboard block failed", error);
  }

  render(): ReactNode {
    return this.state.failed ? <ErrorBox text={this.props.fallback} /> : this.props.children;
  }
}
