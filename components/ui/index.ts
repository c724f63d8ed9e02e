// Keyport's design system. Import from "@/components/ui". Client-only pieces (Dialog, ConfirmDialog, Toaster,
// useToast, CopyButton, TabNav, Menu, Tabs) carry "use client" themselves, so server components can render them too.
export { isAtOrBelow } from "./active-path";
export { cx } from "./cx";
export { Button, ButtonLink, buttonClasses, type ButtonProps, type ButtonLinkProps, type ButtonVariant, type ButtonSize } from "./button";
export { Input, Textarea, Select, Checkbox, Label, Field, type FieldProps } from "./form";
export { Card, Badge, PageHeader, EmptyState, Stat, type BadgeTone } from "./card";
export { Table, THead, TBody, TR, TH, TD, FoldedDetails } from "./table";
export { Dialog, ConfirmDialog, type DialogProps, type ConfirmDialogProps, type DialogCloseGuard } from "./dialog";
export { Menu, MenuItem, MenuLabel, MenuSeparator, MenuRadioGroup, MenuRadioItem, type MenuProps } from "./menu";
export { Tabs, TabsList, TabsTrigger, TabsContent } from "./tabs";
export { Toaster, useToast, type ToastTone } from "./toast";
export { Spinner } from "./spinner";
export { Skeleton, PageSkeleton } from "./skeleton";
export { CopyButton } from "./copy-button";
export { CodeBlock } from "./code-block";
export { TabNav, type TabNavItem } from "./tab-nav";
export { PlusIcon } from "./icons";
export { DeniedNote, deniedProps } from "./denied-note";
export { SkipLink } from "./skip-link";
